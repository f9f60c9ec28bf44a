//! How typed keys and values become the bytes of a [`KvTxn`](super::KvTxn).
//!
//! Keys are encoded so that comparing the bytes (as every backend does: redb on `&[u8]`,
//! PostgreSQL on `bytea`) orders them as the typed tuples would be ordered: integers big-endian,
//! strings and byte strings followed by a NUL unless they are the last element. A key string
//! therefore must not contain NUL (every ID the server stores is printable or free of control
//! characters; a NUL is refused with a [`StorageError`], never stored ambiguously).
//!
//! Values need no order: strings and byte strings are length-prefixed unless last, so any byte
//! may appear in them.
//!
//! Decoding borrows from the stored bytes (no copies for strings) and fails on malformed bytes
//! instead of panicking; [`super::table`] checks each stored entry once when it is read.

use crate::StorageError;

/// One element of a key or value tuple.
pub trait Elem: 'static {
    /// The borrowed form read back (`&'a str` for `&'static str`).
    type SelfType<'a>;

    /// Appends `value` in key form (ordered); `last` when nothing follows.
    fn put_key(
        value: &Self::SelfType<'_>,
        last: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), StorageError>;

    /// Reads the key form from the front of `bytes`, advancing it.
    fn take_key<'a>(bytes: &mut &'a [u8], last: bool) -> Option<Self::SelfType<'a>>;

    /// Appends `value` in value form; `last` when nothing follows.
    fn put_value(value: &Self::SelfType<'_>, last: bool, out: &mut Vec<u8>);

    /// Reads the value form from the front of `bytes`, advancing it.
    fn take_value<'a>(bytes: &mut &'a [u8], last: bool) -> Option<Self::SelfType<'a>>;

    /// A value of the type, returned only if a checked entry could not be decoded again
    /// (it cannot happen: entries are checked when read).
    fn fallback<'a>() -> Self::SelfType<'a>;
}

fn take_n<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if bytes.len() < n {
        return None;
    }
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Some(head)
}

macro_rules! int_elem {
    ($($ty:ty),*) => {$(
        impl Elem for $ty {
            type SelfType<'a> = $ty;

            fn put_key(value: &$ty, _last: bool, out: &mut Vec<u8>) -> Result<(), StorageError> {
                out.extend_from_slice(&value.to_be_bytes());
                Ok(())
            }

            fn take_key(bytes: &mut &[u8], _last: bool) -> Option<$ty> {
                let head = take_n(bytes, std::mem::size_of::<$ty>())?;
                Some(<$ty>::from_be_bytes(head.try_into().ok()?))
            }

            fn put_value(value: &$ty, _last: bool, out: &mut Vec<u8>) {
                out.extend_from_slice(&value.to_be_bytes());
            }

            fn take_value(bytes: &mut &[u8], last: bool) -> Option<$ty> {
                Self::take_key(bytes, last)
            }

            fn fallback<'a>() -> Self::SelfType<'a> {
                0
            }
        }
    )*};
}

int_elem!(u8, u32, u64, i32);

impl Elem for () {
    type SelfType<'a> = ();

    fn put_key(_: &(), _: bool, _: &mut Vec<u8>) -> Result<(), StorageError> {
        Ok(())
    }

    fn take_key(_: &mut &[u8], _: bool) -> Option<()> {
        Some(())
    }

    fn put_value(_: &(), _: bool, _: &mut Vec<u8>) {}

    fn take_value(_: &mut &[u8], _: bool) -> Option<()> {
        Some(())
    }

    fn fallback<'a>() -> Self::SelfType<'a> {}
}

/// Byte strings: raw when last, NUL-terminated in keys, length-prefixed in values.
impl Elem for &'static [u8] {
    type SelfType<'a> = &'a [u8];

    fn put_key(value: &&[u8], last: bool, out: &mut Vec<u8>) -> Result<(), StorageError> {
        if !last {
            if value.contains(&0) {
                return Err(StorageError::new(
                    "a key part contains a NUL byte and cannot be stored",
                ));
            }
            out.extend_from_slice(value);
            out.push(0);
        } else {
            out.extend_from_slice(value);
        }
        Ok(())
    }

    fn take_key<'a>(bytes: &mut &'a [u8], last: bool) -> Option<&'a [u8]> {
        if last {
            return take_n(bytes, bytes.len());
        }
        let end = bytes.iter().position(|&b| b == 0)?;
        let head = take_n(bytes, end)?;
        take_n(bytes, 1)?;
        Some(head)
    }

    fn put_value(value: &&[u8], last: bool, out: &mut Vec<u8>) {
        if !last {
            let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
            out.extend_from_slice(&len.to_be_bytes());
        }
        out.extend_from_slice(value);
    }

    fn take_value<'a>(bytes: &mut &'a [u8], last: bool) -> Option<&'a [u8]> {
        if last {
            return take_n(bytes, bytes.len());
        }
        let len = u32::from_be_bytes(take_n(bytes, 4)?.try_into().ok()?);
        take_n(bytes, usize::try_from(len).ok()?)
    }

    fn fallback<'a>() -> &'a [u8] {
        &[]
    }
}

/// UTF-8 strings, encoded as their bytes.
impl Elem for &'static str {
    type SelfType<'a> = &'a str;

    fn put_key(value: &&str, last: bool, out: &mut Vec<u8>) -> Result<(), StorageError> {
        <&[u8]>::put_key(&value.as_bytes(), last, out)
    }

    fn take_key<'a>(bytes: &mut &'a [u8], last: bool) -> Option<&'a str> {
        std::str::from_utf8(<&[u8]>::take_key(bytes, last)?).ok()
    }

    fn put_value(value: &&str, last: bool, out: &mut Vec<u8>) {
        <&[u8]>::put_value(&value.as_bytes(), last, out);
    }

    fn take_value<'a>(bytes: &mut &'a [u8], last: bool) -> Option<&'a str> {
        std::str::from_utf8(<&[u8]>::take_value(bytes, last)?).ok()
    }

    fn fallback<'a>() -> &'a str {
        ""
    }
}

/// A key type: one element or a tuple of them.
pub trait Key: 'static {
    /// The borrowed form.
    type SelfType<'a>;
    /// The ordered bytes of `value`.
    fn encode(value: &Self::SelfType<'_>) -> Result<Vec<u8>, StorageError>;
    /// The ordered bytes of `value` with its last element delimited too, so that more key
    /// parts may follow (the key part of a multimap entry).
    fn encode_prefix(value: &Self::SelfType<'_>) -> Result<Vec<u8>, StorageError>;
    /// `bytes` read back, if well formed.
    fn decode(bytes: &[u8]) -> Option<Self::SelfType<'_>>;
    /// See [`Elem::fallback`].
    fn fallback<'a>() -> Self::SelfType<'a>;
}

/// A value type: one element or a tuple of them.
pub trait Value: 'static {
    /// The borrowed form.
    type SelfType<'a>;
    /// The bytes of `value`.
    fn encode(value: &Self::SelfType<'_>) -> Vec<u8>;
    /// `bytes` read back, if well formed.
    fn decode(bytes: &[u8]) -> Option<Self::SelfType<'_>>;
    /// See [`Elem::fallback`].
    fn fallback<'a>() -> Self::SelfType<'a>;
}

macro_rules! single {
    ($($ty:ty),*) => {$(
        impl Key for $ty {
            type SelfType<'a> = <$ty as Elem>::SelfType<'a>;

            fn encode(value: &Self::SelfType<'_>) -> Result<Vec<u8>, StorageError> {
                let mut out = Vec::new();
                <$ty as Elem>::put_key(value, true, &mut out)?;
                Ok(out)
            }

            fn encode_prefix(value: &Self::SelfType<'_>) -> Result<Vec<u8>, StorageError> {
                let mut out = Vec::new();
                <$ty as Elem>::put_key(value, false, &mut out)?;
                Ok(out)
            }

            fn decode(mut bytes: &[u8]) -> Option<Self::SelfType<'_>> {
                let value = <$ty as Elem>::take_key(&mut bytes, true)?;
                bytes.is_empty().then_some(value)
            }

            fn fallback<'a>() -> Self::SelfType<'a> {
                <$ty as Elem>::fallback()
            }
        }

        impl Value for $ty {
            type SelfType<'a> = <$ty as Elem>::SelfType<'a>;

            fn encode(value: &Self::SelfType<'_>) -> Vec<u8> {
                let mut out = Vec::new();
                <$ty as Elem>::put_value(value, true, &mut out);
                out
            }

            fn decode(mut bytes: &[u8]) -> Option<Self::SelfType<'_>> {
                let value = <$ty as Elem>::take_value(&mut bytes, true)?;
                bytes.is_empty().then_some(value)
            }

            fn fallback<'a>() -> Self::SelfType<'a> {
                <$ty as Elem>::fallback()
            }
        }
    )*};
}

single!(u8, u32, u64, i32, (), &'static [u8], &'static str);

macro_rules! tuple {
    ($($name:ident : $index:tt),+ ; $lastname:ident : $lastindex:tt) => {
        impl<$($name: Elem,)+ $lastname: Elem> Key for ($($name,)+ $lastname) {
            type SelfType<'a> = ($($name::SelfType<'a>,)+ $lastname::SelfType<'a>);

            fn encode(value: &Self::SelfType<'_>) -> Result<Vec<u8>, StorageError> {
                let mut out = Vec::new();
                $($name::put_key(&value.$index, false, &mut out)?;)+
                $lastname::put_key(&value.$lastindex, true, &mut out)?;
                Ok(out)
            }

            fn encode_prefix(value: &Self::SelfType<'_>) -> Result<Vec<u8>, StorageError> {
                let mut out = Vec::new();
                $($name::put_key(&value.$index, false, &mut out)?;)+
                $lastname::put_key(&value.$lastindex, false, &mut out)?;
                Ok(out)
            }

            fn decode(mut bytes: &[u8]) -> Option<Self::SelfType<'_>> {
                let value = ($($name::take_key(&mut bytes, false)?,)+
                    $lastname::take_key(&mut bytes, true)?);
                bytes.is_empty().then_some(value)
            }

            fn fallback<'a>() -> Self::SelfType<'a> {
                ($($name::fallback(),)+ $lastname::fallback())
            }
        }

        impl<$($name: Elem,)+ $lastname: Elem> Value for ($($name,)+ $lastname) {
            type SelfType<'a> = ($($name::SelfType<'a>,)+ $lastname::SelfType<'a>);

            fn encode(value: &Self::SelfType<'_>) -> Vec<u8> {
                let mut out = Vec::new();
                $($name::put_value(&value.$index, false, &mut out);)+
                $lastname::put_value(&value.$lastindex, true, &mut out);
                out
            }

            fn decode(mut bytes: &[u8]) -> Option<Self::SelfType<'_>> {
                let value = ($($name::take_value(&mut bytes, false)?,)+
                    $lastname::take_value(&mut bytes, true)?);
                bytes.is_empty().then_some(value)
            }

            fn fallback<'a>() -> Self::SelfType<'a> {
                ($($name::fallback(),)+ $lastname::fallback())
            }
        }
    };
}

tuple!(A: 0; B: 1);
tuple!(A: 0, B: 1; C: 2);
tuple!(A: 0, B: 1, C: 2; D: 3);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key<K: Key>(value: K::SelfType<'_>) -> Vec<u8> {
        K::encode(&value).unwrap()
    }

    #[test]
    fn key_bytes_order_as_the_tuples_do() {
        let mut tuples = vec![
            (7u64, "b", 1u64),
            (7, "a", 9),
            (7, "ab", 0),
            (7, "a", u64::MAX),
            (6, "zz", 3),
            (7, "", 5),
            (u64::MAX, "", 0),
        ];
        let mut encoded: Vec<Vec<u8>> = tuples
            .iter()
            .map(|&(a, b, c)| key::<(u64, &str, u64)>((a, b, c)))
            .collect();
        tuples.sort();
        encoded.sort();
        let decoded: Vec<(u64, &str, u64)> = encoded
            .iter()
            .map(|bytes| <(u64, &'static str, u64) as Key>::decode(bytes).unwrap())
            .collect();
        assert_eq!(decoded, tuples);
    }

    #[test]
    fn a_nul_inside_a_key_is_refused_and_values_carry_any_byte() {
        assert!(<(&'static str, u64) as Key>::encode(&("a\0b", 1)).is_err());
        assert_eq!(key::<(u64, &str)>((1, "a\0b")).len(), 11);
        let bytes = <(&'static str, u64)>::encode_value_for_test(("a\0b", 5));
        assert_eq!(
            <(&'static str, u64) as Value>::decode(&bytes),
            Some(("a\0b", 5))
        );
    }

    #[test]
    fn malformed_bytes_decode_to_none() {
        assert_eq!(<(u64, &'static str) as Key>::decode(&[0, 1]), None);
        assert_eq!(<(u64, u64) as Key>::decode(&[0; 17]), None);
        assert_eq!(
            <(&'static str, u64) as Value>::decode(&[0, 0, 0, 9, 1]),
            None
        );
        assert_eq!(<&'static str as Value>::decode(&[0xff, 0xfe]), None);
    }

    trait ForTest: Value {
        fn encode_value_for_test(value: Self::SelfType<'_>) -> Vec<u8> {
            <Self as Value>::encode(&value)
        }
    }
    impl<T: Value> ForTest for T {}
}
