//! Forward-compatible wire enums: known values typed, unknown ones kept.
//!
//! Vendors add status codes and types without notice. An enum declared with
//! [`int_enum!`](crate::int_enum) or [`str_enum!`](crate::str_enum) decodes
//! any value: the documented ones into their variants, anything else into
//! `Unknown(value)`, which re-encodes to the same value.

/// Declares an enum carried on the wire as an integer, with an `Unknown(i64)`
/// variant for values this version does not know.
///
/// Decodes from a JSON number or from a string holding one (vendors differ).
///
/// ```
/// whatsapp_common::int_enum! {
///     /// Delivery state.
///     pub enum State {
///         /// Sent.
///         Sent = 0,
///         /// Delivered.
///         Delivered = 2,
///     }
/// }
/// let s: State = serde_json::from_str("2").unwrap();
/// assert_eq!(s, State::Delivered);
/// let u: State = serde_json::from_str("\"42\"").unwrap();
/// assert_eq!(u, State::Unknown(42));
/// assert_eq!(serde_json::to_string(&u).unwrap(), "42");
/// ```
#[macro_export]
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as received.
            Unknown(i64),
        }

        impl $name {
            /// The value on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(v) => *v,
                }
            }

            /// The variant for a wire value (`Unknown` when not documented).
            pub fn from_i64(v: i64) -> Self {
                match v {
                    $( $value => Self::$variant, )+
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_i64(self.as_i64())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_int(d).map(Self::from_i64)
            }
        }
    };
}

/// Declares an enum carried on the wire as a string, with an
/// `Unknown(String)` variant for values this version does not know.
///
/// Decoding matches the documented spelling first, then ignores ASCII case
/// (some vendors answer `WHATSAPP` where they document `WhatsApp`); encoding
/// always writes the documented spelling.
///
/// ```
/// whatsapp_common::str_enum! {
///     /// Channel.
///     pub enum Channel {
///         /// WhatsApp.
///         WhatsApp = "WhatsApp",
///         /// SMS.
///         Sms = "SMS",
///     }
/// }
/// let c: Channel = serde_json::from_str("\"WHATSAPP\"").unwrap();
/// assert_eq!(c, Channel::WhatsApp);
/// assert_eq!(serde_json::to_string(&c).unwrap(), "\"WhatsApp\"");
/// let u: Channel = serde_json::from_str("\"Fax\"").unwrap();
/// assert_eq!(u.as_str(), "Fax");
/// ```
#[macro_export]
macro_rules! str_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as received.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(v) => v.as_str(),
                }
            }

            /// The variant for a wire value (`Unknown` when not documented).
            pub fn from_wire(v: &str) -> Self {
                match v {
                    $( $value => return Self::$variant, )+
                    _ => {}
                }
                $( if v.eq_ignore_ascii_case($value) { return Self::$variant; } )+
                Self::Unknown(v.to_owned())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::__private::deserialize_str_with(d, |s| {
                    ::std::result::Result::<Self, ::std::convert::Infallible>::Ok(Self::from_wire(s))
                })
            }
        }
    };
}

/// Support for the macros; not public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
    use serde::Deserialize;

    /// An integer from a JSON number or a string holding one.
    pub fn deserialize_int<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = i64;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer or a string holding one")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<i64, E> {
                Ok(v)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<i64, E> {
                i64::try_from(v).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<i64, E> {
                v.trim().parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }

    /// Reads a string and hands it to `parse`, borrowed from the decoder's
    /// input where it can lend it: no `String` is built just to be read.
    pub fn deserialize_str_with<'de, D, T, E, F>(d: D, parse: F) -> Result<T, D::Error>
    where
        D: serde::Deserializer<'de>,
        F: FnOnce(&str) -> Result<T, E>,
        E: std::fmt::Display,
    {
        struct V<F, T>(F, std::marker::PhantomData<T>);
        impl<T, E: std::fmt::Display, F: FnOnce(&str) -> Result<T, E>> serde::de::Visitor<'_> for V<F, T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<Er: serde::de::Error>(self, v: &str) -> Result<T, Er> {
                (self.0)(v).map_err(Er::custom)
            }
        }
        d.deserialize_str(V(parse, std::marker::PhantomData))
    }

    /// An optional integer from a JSON number, a string holding one, or null.
    pub fn deserialize_opt_int<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<i64>, D::Error> {
        #[derive(serde::Deserialize)]
        struct W(#[serde(deserialize_with = "deserialize_int")] i64);
        Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
    }
}

#[cfg(test)]
#[allow(unreachable_pub)]
mod tests {
    crate::int_enum! {
        /// Test enum.
        enum Code {
            /// One.
            One = 1,
            /// Hundred.
            Hundred = 100,
        }
    }
    crate::str_enum! {
        /// Test enum.
        enum Kind {
            /// Text.
            Text = "TEXT",
            /// Image.
            ImageUrl = "IMAGE_URL",
        }
    }

    #[test]
    fn int_enum_round_trips_known_and_unknown() {
        for (json, want) in [
            ("1", Code::One),
            ("100", Code::Hundred),
            ("\"1\"", Code::One),
        ] {
            let got: Code = serde_json::from_str(json).unwrap();
            assert_eq!(got, want);
        }
        let u: Code = serde_json::from_str("-7").unwrap();
        assert_eq!(u, Code::Unknown(-7));
        assert_eq!(serde_json::to_string(&u).unwrap(), "-7");
        assert_eq!(Code::Hundred.to_string(), "100");
        assert!(serde_json::from_str::<Code>("1.5").is_err());
        assert!(serde_json::from_str::<Code>("\"x\"").is_err());
        assert!(serde_json::from_str::<Code>("null").is_err());
    }

    #[test]
    fn str_enum_round_trips_known_and_unknown() {
        let k: Kind = serde_json::from_str("\"image_url\"").unwrap();
        assert_eq!(k, Kind::ImageUrl);
        assert_eq!(serde_json::to_string(&k).unwrap(), "\"IMAGE_URL\"");
        let u: Kind = serde_json::from_str("\"VIDEO\"").unwrap();
        assert_eq!(u, Kind::Unknown("VIDEO".into()));
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"VIDEO\"");
        assert_eq!(Kind::Text.as_str(), "TEXT");
    }
}
