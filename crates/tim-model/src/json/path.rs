//! Where a value sits inside a JSON document, kept as a chain on the stack while decoding and
//! turned into text (`message_elem_array[0].elem_type`) only when an error is reported.

use std::fmt;

/// The location of a value inside the document being decoded.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The document itself.
    Root,
    /// The value of `key` inside the object at the parent path.
    Key(&'a Path<'a>, &'a str),
    /// Element `index` of the array at the parent path.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The path of `key` below this one.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    /// The path of array element `index` below this one.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_json_path() {
        let root = Path::Root;
        let elems = root.key("message_elem_array");
        let first = elems.index(0);
        let elem_type = first.key("elem_type");
        assert_eq!(elem_type.to_string(), "message_elem_array[0].elem_type");
        assert_eq!(root.index(2).to_string(), "[2]");
        assert_eq!(root.to_string(), "");
    }
}
