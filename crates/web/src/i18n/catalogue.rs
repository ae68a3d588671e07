//! How a catalogue of the pages' words is declared.

/// Declares the fixed words of the pages once, each key with its Vietnamese and English
/// text: a key without both is a compile error, not a blank on a page.
macro_rules! ui_strings {
    ($name:ident, $vi_const:ident, $en_const:ident; $($key:ident: $vi:literal | $en:literal;)*) => {
        /// Fixed words of the pages.
        #[derive(Debug)]
        pub struct $name {
            pub lang: cncl_domain::Lang,
            $(pub $key: &'static str,)*
        }

        pub const $vi_const: $name = $name { lang: cncl_domain::Lang::Vi, $($key: $vi,)* };
        pub const $en_const: $name = $name { lang: cncl_domain::Lang::En, $($key: $en,)* };

        impl $name {
            /// Every word of the catalogue, for a test that no page mixes the languages.
            pub fn all_words(&self) -> Vec<&'static str> {
                vec![$(self.$key,)*]
            }
        }
    };
}
pub(crate) use ui_strings;
