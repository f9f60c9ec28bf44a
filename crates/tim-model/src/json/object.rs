//! Reading and writing the keys of one JSON object, with renamed keys accepted in both
//! spellings on input and written in the newer one.

use super::{JsonValue, Path, wrong_type};
use crate::error::{ModelError, Result};
use crate::keys::Key;
use serde_json::{Map, Value};

/// A JSON object being decoded, with its location in the document.
pub struct ObjReader<'v, 'p> {
    map: &'v Map<String, Value>,
    path: &'p Path<'p>,
}

impl<'v, 'p> ObjReader<'v, 'p> {
    /// Wraps `value`, which must be an object.
    pub fn new(value: &'v Value, path: &'p Path<'p>) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Self { map, path }),
            other => Err(wrong_type(path, "an object", other)),
        }
    }

    /// The path of this object.
    pub fn path(&self) -> &Path<'p> {
        self.path
    }

    /// The value of `key` and the spelling it was found under; the newer spelling wins when
    /// both are present. A `null` value counts as absent.
    pub fn get(&self, key: Key) -> Option<(&'v str, &'v Value)> {
        let found = self
            .map
            .get_key_value(key.name)
            .or_else(|| key.alias.and_then(|alias| self.map.get_key_value(alias)));
        match found {
            Some((_, Value::Null)) | None => None,
            Some((name, value)) => Some((name.as_str(), value)),
        }
    }

    /// Decodes `key` as `T`, or `None` when it is absent.
    pub fn optional<T: JsonValue>(&self, key: Key) -> Result<Option<T>> {
        match self.get(key) {
            None => Ok(None),
            Some((name, value)) => T::from_json(value, &self.path.key(name)).map(Some),
        }
    }

    /// Decodes `key` as `T`, refusing the object when it is absent.
    pub fn required<T: JsonValue>(&self, key: Key) -> Result<T> {
        self.optional(key)?.ok_or_else(|| ModelError::Missing {
            path: self.path.key(key.name).to_string(),
        })
    }

    /// Decodes `key` as `T`, treating a string that does not hold a number as absent.
    ///
    /// Only for keys where a published sample sends a word in a numeric field: failing the
    /// whole call would also throw away the other, valid keys the caller set.
    pub fn read_lenient<T: JsonField + Default>(&self, key: Key) -> Result<T> {
        if let Some((_, Value::String(text))) = self.get(key)
            && text.trim().parse::<i128>().is_err()
        {
            return Ok(T::default());
        }
        T::read_field(self, key, false)
    }
}

/// A JSON object being encoded.
#[derive(Default)]
pub struct ObjWriter {
    map: Map<String, Value>,
}

impl ObjWriter {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` (in its newer spelling) to `value`.
    pub fn put(&mut self, key: Key, value: Value) {
        self.map.insert(key.name.to_owned(), value);
    }

    /// The finished object.
    pub fn finish(self) -> Value {
        Value::Object(self.map)
    }
}

/// A type that is a JSON object of TIM keys.
pub trait JsonObject: Sized {
    /// Decodes the fields of `obj`.
    fn read_fields(obj: &ObjReader<'_, '_>) -> Result<Self>;

    /// Encodes the fields into `out`.
    fn write_fields(&self, out: &mut ObjWriter);

    /// Decodes `value`, which must be an object.
    fn from_object(value: &Value, path: &Path<'_>) -> Result<Self> {
        Self::read_fields(&ObjReader::new(value, path)?)
    }

    /// Encodes `self` as an object.
    fn to_object(&self) -> Value {
        let mut out = ObjWriter::new();
        self.write_fields(&mut out);
        out.finish()
    }
}

/// How a struct field is read from and written to its key.
///
/// A plain value takes its default when the key is absent and is always written; an `Option`
/// is `None` when absent and written only when `Some`.
pub trait JsonField: Sized {
    /// Reads the field from `obj`; `required` refuses an absent key.
    fn read_field(obj: &ObjReader<'_, '_>, key: Key, required: bool) -> Result<Self>;
    /// Writes the field into `out`.
    fn write_field(&self, out: &mut ObjWriter, key: Key);
}

impl<T: JsonValue + Default> JsonField for T {
    fn read_field(obj: &ObjReader<'_, '_>, key: Key, required: bool) -> Result<Self> {
        if required {
            obj.required(key)
        } else {
            Ok(obj.optional(key)?.unwrap_or_default())
        }
    }

    fn write_field(&self, out: &mut ObjWriter, key: Key) {
        out.put(key, self.to_json());
    }
}

impl<T: JsonValue> JsonField for Option<T> {
    fn read_field(obj: &ObjReader<'_, '_>, key: Key, required: bool) -> Result<Self> {
        if required {
            obj.required(key).map(Some)
        } else {
            obj.optional(key)
        }
    }

    fn write_field(&self, out: &mut ObjWriter, key: Key) {
        if let Some(value) = self {
            out.put(key, value.to_json());
        }
    }
}
