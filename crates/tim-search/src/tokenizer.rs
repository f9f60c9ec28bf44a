//! The tokenizer of message text, shared by indexing and querying so both sides always agree.
//!
//! Text is split into units, and every unit takes one position:
//! - a *word*: a run of letters and digits outside the CJK scripts, lowercased (Latin, Cyrillic,
//!   Greek, Thai, ... are matched as whole words, case-insensitively; a word is cut after
//!   [`MAX_WORD_BYTES`] so an endless one cannot blow up the index);
//! - a *CJK character* (Han, Hiragana, Katakana, Hangul): these scripts are written without
//!   spaces, so each character is a unit;
//! - a *symbol* (emoji and other pictographs): one unit each, so "🎉" can be searched for.
//!
//! Everything else (spaces, punctuation) separates units and takes no position.
//!
//! When indexing, a CJK character yields its unigram and, if the next character of the same run
//! is CJK too, the bigram of the two, both at the character's position. A query keyword yields
//! the bigrams of each CJK run (a run of one character yields its unigram), so a keyword becomes
//! a phrase whose every CJK pair must be adjacent in the message: "北京" matches only text that
//! contains "北京", never "北方的京城", and "北" matches every text containing "北". Full-width
//! ASCII ("Ｒｕｓｔ") is read as ASCII.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the tokenizer is registered under; it is written into the index schema.
pub(crate) const TOKENIZER_NAME: &str = "tim_cjk_bigram";

/// Longest word kept, in bytes; the rest of a longer word is dropped (on both sides alike).
pub(crate) const MAX_WORD_BYTES: usize = 64;

/// Whether tokens are produced for the index or for a query keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Unigrams and bigrams of CJK runs.
    Index,
    /// Only the bigrams of CJK runs (unigram for a run of one).
    Query,
}

/// What a character is to the tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Separator,
    Word,
    Cjk,
    Symbol,
}

/// Reads full-width ASCII (U+FF01..=U+FF5E) and the ideographic space as their ASCII forms.
fn normalize(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_cjk_block(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF        // Hangul Jamo
        | 0x3005..=0x3007      // 々 〆 〇
        | 0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3130..=0x318F      // Hangul compatibility Jamo
        | 0x31F0..=0x31FF      // Katakana phonetic extensions
        | 0x3400..=0x4DBF      // CJK extension A
        | 0x4E00..=0x9FFF      // CJK unified ideographs
        | 0xA960..=0xA97F      // Hangul Jamo extended A
        | 0xAC00..=0xD7FF      // Hangul syllables, Jamo extended B
        | 0xF900..=0xFAFF      // CJK compatibility ideographs
        | 0xFF66..=0xFF9F      // half-width Katakana
        | 0x20000..=0x3FFFF // CJK extensions B..H, compatibility supplement
    )
}

fn is_symbol(c: char) -> bool {
    let code = c as u32;
    code >= 0x2100
        && !c.is_whitespace()
        && !is_cjk_block(c)
        && !matches!(code,
            0x3000..=0x303F        // CJK punctuation
            | 0xFE00..=0xFE0F      // variation selectors
            | 0xFE10..=0xFE6F      // vertical, compatibility and small forms (punctuation)
            | 0xFF00..=0xFFEF      // full-width punctuation, half-width forms
            | 0xFFF0..=0xFFFF      // specials
            | 0xE0000..=0xE007F    // tags
            | 0xD800..=0xDFFF      // (surrogates; never chars)
            | 0xE000..=0xF8FF      // private use
            | 0xF0000..=0x10FFFF   // supplementary private use
        )
}

fn classify(c: char) -> Class {
    if c.is_alphanumeric() {
        if is_cjk_block(c) {
            Class::Cjk
        } else {
            Class::Word
        }
    } else if is_symbol(c) {
        Class::Symbol
    } else {
        Class::Separator
    }
}

/// Receives the tokens of a text in order of non-decreasing position.
pub(crate) trait TokenSink {
    /// One token: its position, its byte range in the text and its text.
    fn token(&mut self, position: usize, from: usize, to: usize, text: &str);
}

/// Splits `text` into tokens (see the module documentation) and hands them to `sink`.
pub(crate) fn tokenize(text: &str, mode: Mode, sink: &mut dyn TokenSink) {
    let mut position = 0usize;
    let mut word = String::new();
    let mut word_from = 0usize;
    let mut word_to = 0usize;
    // The previous character of the current CJK run: (char, byte offset, position).
    let mut previous_cjk: Option<(char, usize, usize)> = None;
    let mut run_length = 0usize;
    let mut pair = [0u8; 8];

    for (offset, raw) in text.char_indices() {
        let c = normalize(raw);
        let end = offset + raw.len_utf8();
        let class = classify(c);
        if class != Class::Word && !word.is_empty() {
            sink.token(position, word_from, word_to, &word);
            position += 1;
            word.clear();
        }
        if class != Class::Cjk {
            if let Some((single, from, at)) = previous_cjk.take()
                && mode == Mode::Query
                && run_length == 1
            {
                let single_end = from + single.len_utf8();
                sink.token(at, from, single_end, single.encode_utf8(&mut pair));
            }
            run_length = 0;
        }
        match class {
            Class::Separator => {}
            Class::Word => {
                if word.is_empty() {
                    word_from = offset;
                }
                word_to = end;
                for lower in c.to_lowercase() {
                    if word.len() + lower.len_utf8() > MAX_WORD_BYTES {
                        break;
                    }
                    word.push(lower);
                }
            }
            Class::Symbol => {
                sink.token(position, offset, end, c.encode_utf8(&mut pair));
                position += 1;
            }
            Class::Cjk => {
                if let Some((first, from, at)) = previous_cjk {
                    let first_len = first.encode_utf8(&mut pair).len();
                    let second_len = c.encode_utf8(&mut pair[first_len..]).len();
                    let bigram = std::str::from_utf8(&pair[..first_len + second_len]).unwrap_or("");
                    sink.token(at, from, end, bigram);
                }
                if mode == Mode::Index {
                    sink.token(position, offset, end, c.encode_utf8(&mut pair));
                }
                previous_cjk = Some((c, offset, position));
                run_length += 1;
                position += 1;
            }
        }
    }
    if !word.is_empty() {
        sink.token(position, word_from, word_to, &word);
    }
    if let Some((single, from, at)) = previous_cjk
        && mode == Mode::Query
        && run_length == 1
    {
        let single_end = from + single.len_utf8();
        sink.token(at, from, single_end, single.encode_utf8(&mut pair));
    }
}

/// The tokens of a query keyword as (position, text), the first at position 0.
pub(crate) fn query_tokens(keyword: &str) -> Vec<(usize, String)> {
    struct Collect(Vec<(usize, String)>);
    impl TokenSink for Collect {
        fn token(&mut self, position: usize, _from: usize, _to: usize, text: &str) {
            self.0.push((position, text.to_owned()));
        }
    }
    let mut collect = Collect(Vec::new());
    tokenize(keyword, Mode::Query, &mut collect);
    let mut tokens = collect.0;
    // Units of a query keyword appear in position order except for a lone CJK character, which is
    // emitted when its run ends; sort so positions are non-decreasing.
    tokens.sort_by_key(|(position, _)| *position);
    if let Some(first) = tokens.first().map(|(position, _)| *position) {
        for (position, _) in &mut tokens {
            *position -= first;
        }
    }
    tokens
}

/// The tantivy tokenizer used to index message text ([`Mode::Index`]).
///
/// It keeps the tokens of the last text in a buffer whose strings are reused, so indexing a
/// message allocates nothing once the buffer has grown.
#[derive(Debug, Clone, Default)]
pub struct CjkBigramTokenizer {
    tokens: Vec<Token>,
}

struct BufferSink<'a> {
    tokens: &'a mut Vec<Token>,
    len: usize,
}

impl TokenSink for BufferSink<'_> {
    fn token(&mut self, position: usize, from: usize, to: usize, text: &str) {
        if let Some(token) = self.tokens.get_mut(self.len) {
            token.text.clear();
            token.text.push_str(text);
            token.position = position;
            token.offset_from = from;
            token.offset_to = to;
            token.position_length = 1;
        } else {
            self.tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: text.to_owned(),
                position_length: 1,
            });
        }
        self.len += 1;
    }
}

/// The token stream of [`CjkBigramTokenizer`].
pub struct CjkBigramTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
    /// What `token()` answers before the first `advance()` or after the last token.
    outside: Token,
}

impl Tokenizer for CjkBigramTokenizer {
    type TokenStream<'a> = CjkBigramTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let mut sink = BufferSink {
            tokens: &mut self.tokens,
            len: 0,
        };
        tokenize(text, Mode::Index, &mut sink);
        let len = sink.len;
        CjkBigramTokenStream {
            tokens: &mut self.tokens[..len],
            next: 0,
            outside: Token::default(),
        }
    }
}

impl TokenStream for CjkBigramTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        self.next
            .checked_sub(1)
            .and_then(|current| self.tokens.get(current))
            .unwrap_or(&self.outside)
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(current) if current < self.tokens.len() => &mut self.tokens[current],
            _ => &mut self.outside,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexed(text: &str) -> Vec<(usize, String)> {
        let mut tokenizer = CjkBigramTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            assert_eq!(
                normalize_all(&text[token.offset_from..token.offset_to]).to_lowercase(),
                token.text,
                "offsets of {token:?} in {text:?}"
            );
            out.push((token.position, token.text.clone()));
        }
        out
    }

    fn normalize_all(text: &str) -> String {
        text.chars().map(normalize).collect()
    }

    fn owned(tokens: &[(usize, &str)]) -> Vec<(usize, String)> {
        tokens.iter().map(|(p, t)| (*p, (*t).to_owned())).collect()
    }

    #[test]
    fn latin_words_are_lowercased_and_split_on_punctuation() {
        assert_eq!(
            indexed("Hello, WORLD! release_notes-v2"),
            owned(&[
                (0, "hello"),
                (1, "world"),
                (2, "release"),
                (3, "notes"),
                (4, "v2")
            ])
        );
    }

    #[test]
    fn cjk_runs_give_unigrams_and_bigrams_at_each_position() {
        assert_eq!(
            indexed("北京大"),
            owned(&[(0, "北"), (0, "北京"), (1, "京"), (1, "京大"), (2, "大")])
        );
        assert_eq!(query_tokens("北京大"), owned(&[(0, "北京"), (1, "京大")]));
    }

    #[test]
    fn a_lone_cjk_character_is_a_unigram_in_both_modes() {
        assert_eq!(indexed("a北b"), owned(&[(0, "a"), (1, "北"), (2, "b")]));
        assert_eq!(
            query_tokens("a北b"),
            owned(&[(0, "a"), (1, "北"), (2, "b")])
        );
        assert_eq!(query_tokens("北"), owned(&[(0, "北")]));
    }

    #[test]
    fn mixed_text_splits_at_script_changes() {
        assert_eq!(
            indexed("我爱Rust编程"),
            owned(&[
                (0, "我"),
                (0, "我爱"),
                (1, "爱"),
                (2, "rust"),
                (3, "编"),
                (3, "编程"),
                (4, "程")
            ])
        );
        assert_eq!(query_tokens("Rust编程"), owned(&[(0, "rust"), (1, "编程")]));
    }

    #[test]
    fn kana_and_hangul_are_cjk() {
        assert_eq!(
            query_tokens("ひらがな"),
            owned(&[(0, "ひら"), (1, "らが"), (2, "がな")])
        );
        assert_eq!(query_tokens("カタカナ").len(), 3);
        assert_eq!(query_tokens("안녕하세요").len(), 4);
        // The middle dot is punctuation inside the Katakana block: it separates.
        assert_eq!(query_tokens("ア・イ"), owned(&[(0, "ア"), (1, "イ")]));
    }

    #[test]
    fn full_width_ascii_reads_as_ascii_and_symbols_are_units() {
        assert_eq!(indexed("Ｒｕｓｔ１２"), owned(&[(0, "rust12")]));
        assert_eq!(indexed("好🎉ok"), owned(&[(0, "好"), (1, "🎉"), (2, "ok")]));
    }

    #[test]
    fn punctuation_only_gives_no_token_and_long_words_are_cut() {
        assert!(query_tokens("!!! ，。").is_empty());
        let long = "a".repeat(500);
        let tokens = query_tokens(&long);
        assert_eq!(tokens.len(), 1);
        assert_eq!(tokens[0].1.len(), MAX_WORD_BYTES);
    }

    #[test]
    fn token_before_advance_does_not_panic() {
        let mut tokenizer = CjkBigramTokenizer::default();
        let mut stream = tokenizer.token_stream("x");
        assert_eq!(stream.token().text, "");
        stream.token_mut().text.push('y');
        assert!(stream.advance());
        assert_eq!(stream.token().text, "x");
        assert!(!stream.advance());
    }
}
