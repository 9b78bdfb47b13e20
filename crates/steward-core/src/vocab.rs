//! Closed vocabularies: the terms a field accepts, stored by name, typed in any case or spacing.

/// Declares a closed vocabulary: its values, their stored names and the forms people type.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal $(| $alt:literal)*,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(into = "&'static str", try_from = "String")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value as stored and shown.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> Self {
                v.as_str()
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::CoreError;
            fn from_str(s: &str) -> $crate::error::CoreResult<Self> {
                let key = $crate::vocab::key(s);
                $(
                    if key == $crate::vocab::key($text) $(|| key == $crate::vocab::key($alt))* {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::error::CoreError::InvalidTerm {
                    what: $what,
                    value: s.chars().take(80).collect(),
                    allowed: $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", "),
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::error::CoreError;
            fn try_from(s: String) -> $crate::error::CoreResult<Self> {
                s.parse()
            }
        }
    };
}

/// Case-, space-, hyphen- and underscore-insensitive form, so "Trade union leader",
/// "trade-union-leader" and "TRADE_UNION_LEADER" are one term.
pub(crate) fn key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

pub(crate) use vocabulary;
