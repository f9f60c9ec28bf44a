//! What an application does to make SQLite FTS5 search Chinese: FTS5's `unicode61` tokenizer
//! cuts text only at spaces and punctuation, so a Chinese sentence would be one huge token.
//! The application therefore rewrites CJK runs into overlapping two-character tokens (a run of
//! one character stays itself) before indexing, and rewrites a query keyword the same way into
//! a phrase of adjacent bigrams. This is the SQLite baseline of the `local_engine` benchmark.
//!
//! What it must never do: change non-CJK text (FTS5 lowercases and splits that itself), or
//! build a query FTS5 could read as operators (every keyword is a quoted phrase).

/// Whether `c` belongs to a script written without word spaces: Han ideographs, Hiragana,
/// Katakana or Hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF         // Hiragana, Katakana
        | 0x3400..=0x4DBF       // CJK extension A
        | 0x4E00..=0x9FFF       // CJK unified ideographs
        | 0xAC00..=0xD7AF       // Hangul syllables
        | 0xF900..=0xFAFF       // CJK compatibility ideographs
        | 0x20000..=0x3FFFF // CJK extensions B and later
    )
}

/// `text` with every CJK run replaced by its overlapping bigrams separated by spaces
/// (`"我们去北京"` becomes `" 我们 们去 去北 北京 "`); a one-character run stays as it is.
pub fn bigram_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    let mut run: Vec<char> = Vec::new();
    for c in text.chars() {
        if is_cjk(c) {
            run.push(c);
        } else {
            push_run(&mut out, &run);
            run.clear();
            out.push(c);
        }
    }
    push_run(&mut out, &run);
    out
}

fn push_run(out: &mut String, run: &[char]) {
    match run {
        [] => {}
        [single] => {
            out.push(' ');
            out.push(*single);
            out.push(' ');
        }
        _ => {
            for pair in run.windows(2) {
                out.push(' ');
                out.extend(pair);
            }
            out.push(' ');
        }
    }
}

/// The FTS5 phrase for one keyword: its bigram text in double quotes (quotes inside doubled),
/// so the tokens must appear adjacent and in order.
pub fn phrase(keyword: &str) -> String {
    let tokens = bigram_text(keyword);
    format!("\"{}\"", tokens.trim().replace('"', "\"\""))
}

/// An FTS5 `MATCH` expression: the token `conversation` in column `conversation_column`, AND
/// every keyword's [`phrase`] in column `text_column`.
pub fn match_all(
    conversation_column: &str,
    conversation: &str,
    text_column: &str,
    keywords: &[String],
) -> String {
    let mut expression = format!("{conversation_column} : {}", phrase(conversation));
    for keyword in keywords {
        expression.push_str(&format!(" AND {text_column} : {}", phrase(keyword)));
    }
    expression
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_runs_become_overlapping_bigrams() {
        assert_eq!(bigram_text("我们去北京"), " 我们 们去 去北 北京 ");
        assert_eq!(bigram_text("好，我们走。"), " 好 ， 我们 们走 。");
        assert_eq!(
            bigram_text("Meeting in 北京 tomorrow"),
            "Meeting in  北京  tomorrow"
        );
        assert_eq!(bigram_text("plain text"), "plain text");
    }

    #[test]
    fn keywords_become_quoted_phrases() {
        assert_eq!(phrase("北京"), "\"北京\"");
        assert_eq!(phrase("北京大学"), "\"北京 京大 大学\"");
        assert_eq!(phrase("say \"hi\""), "\"say \"\"hi\"\"\"");
        let keywords = vec!["lunch".to_owned(), "北京".to_owned()];
        assert_eq!(
            match_all("conv", "c2c_peer1", "words", &keywords),
            "conv : \"c2c_peer1\" AND words : \"lunch\" AND words : \"北京\""
        );
    }
}
