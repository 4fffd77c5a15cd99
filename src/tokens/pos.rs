//! IPADIC's part-of-speech tags as types. IPADIC analyses a word with four
//! tag fields (名詞,固有名詞,人名,姓) and a conjugation form (連用形); each
//! field takes one of a fixed set of values, so each value is a variant here,
//! read once when a token is made. The rest of the library asks a token what
//! it is ([`super::Token::is_proper`], `t.pos[2] == Tag::PersonName`) and never
//! compares the dictionary's strings itself.

/// Declares an enum of IPADIC values with the text each stands for, and a
/// fallback for a value the table does not list.
macro_rules! ipadic_values {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* } else $fallback:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this table does not list (none in IPADIC 2.7).
            $fallback,
        }

        impl $name {
            /// The dictionary's text for the value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                    $name::$fallback => "",
                }
            }

            /// The value the dictionary writes `text`.
            pub fn parse(text: &str) -> $name {
                $name::parse_bytes(text.as_bytes())
            }

            /// [`Self::parse`] over the dictionary's bytes, which need no
            /// UTF-8 check to be compared.
            pub fn parse_bytes(text: &[u8]) -> $name {
                $(if text == $text.as_bytes() {
                    return $name::$variant;
                })*
                $name::$fallback
            }
        }
    };
}

ipadic_values! {
    /// One field of an IPADIC part of speech: the part itself (名詞) or one of
    /// its three subdivisions (固有名詞, 人名, 姓). `Unset` is the dictionary's `*`.
    Tag {
        Unset = "*",
        // Parts of speech (field 1).
        Noun = "名詞",
        Verb = "動詞",
        Adjective = "形容詞",
        Adverb = "副詞",
        /// 連体詞: その, この, 大きな.
        Adnominal = "連体詞",
        Conjunction = "接続詞",
        Particle = "助詞",
        Auxiliary = "助動詞",
        Interjection = "感動詞",
        Symbol = "記号",
        Prefix = "接頭詞",
        Filler = "フィラー",
        Other = "その他",
        // Subdivisions (fields 2-4).
        General = "一般",
        ProperNoun = "固有名詞",
        Pronoun = "代名詞",
        /// サ変接続: a noun that takes する (買収, 設立).
        Sahen = "サ変接続",
        /// 副詞可能: a noun that can stand as an adverb (今年, 後).
        AdverbialNoun = "副詞可能",
        Number = "数",
        Suffix = "接尾",
        /// 非自立: a dependent word (こと, もの; the verb いる after て).
        Dependent = "非自立",
        AdjectivalNounStem = "形容動詞語幹",
        NaiAdjectiveStem = "ナイ形容詞語幹",
        Special = "特殊",
        QuotedString = "引用文字列",
        VerbDependentLike = "動詞非自立的",
        ConjunctionLike = "接続詞的",
        AuxiliaryStem = "助動詞語幹",
        CaseParticle = "格助詞",
        /// 係助詞: は, も.
        BindingParticle = "係助詞",
        AdverbialParticle = "副助詞",
        ConjunctiveParticle = "接続助詞",
        /// 並立助詞: と, や in a list.
        ParallelParticle = "並立助詞",
        FinalParticle = "終助詞",
        AdverbialParallelFinal = "副助詞／並立助詞／終助詞",
        /// 連体化: the の of XのY.
        Adnominalizer = "連体化",
        Adverbializer = "副詞化",
        Interjectional = "間投",
        Independent = "自立",
        OpenBracket = "括弧開",
        CloseBracket = "括弧閉",
        Period = "句点",
        Comma = "読点",
        Space = "空白",
        Alphabet = "アルファベット",
        NounConnection = "名詞接続",
        VerbConnection = "動詞接続",
        AdjectiveConnection = "形容詞接続",
        NumberConnection = "数接続",
        ParticleConnection = "助詞類接続",
        PersonName = "人名",
        /// 地域: a place.
        Region = "地域",
        OrganizationName = "組織",
        Counter = "助数詞",
        Quotation = "引用",
        Compound = "連語",
        Contraction = "縮約",
        Surname = "姓",
        GivenName = "名",
        Country = "国",
    } else Unlisted
}

ipadic_values! {
    /// The conjugated form of a verb, adjective or auxiliary (活用形).
    ConjForm {
        Unset = "*",
        Base = "基本形",
        LiteraryBase = "文語基本形",
        ModernBase = "現代基本形",
        EuphonicBase = "音便基本形",
        GeminateBase = "基本形-促音便",
        Continuative = "連用形",
        ContinuativeTa = "連用タ接続",
        ContinuativeTe = "連用テ接続",
        ContinuativeDe = "連用デ接続",
        ContinuativeNi = "連用ニ接続",
        ContinuativeGozai = "連用ゴザイ接続",
        Irrealis = "未然形",
        IrrealisU = "未然ウ接続",
        IrrealisNu = "未然ヌ接続",
        IrrealisReru = "未然レル接続",
        IrrealisSpecial = "未然特殊",
        Hypothetical = "仮定形",
        HypotheticalContracted1 = "仮定縮約１",
        HypotheticalContracted2 = "仮定縮約２",
        Attributive = "体言接続",
        AttributiveSpecial = "体言接続特殊",
        AttributiveSpecial2 = "体言接続特殊２",
        ImperativeE = "命令ｅ",
        ImperativeI = "命令ｉ",
        ImperativeRo = "命令ｒｏ",
        ImperativeYo = "命令ｙｏ",
        Garu = "ガル接続",
    } else Unlisted
}

impl ConjForm {
    /// The continuative forms (連用形 and its connections): a predicate in one
    /// of them chains to the next predicate (設立し、…入った).
    pub fn is_continuative(self) -> bool {
        self.as_str().starts_with("連用")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for t in [
            "名詞",
            "固有名詞",
            "人名",
            "姓",
            "副助詞／並立助詞／終助詞",
            "*",
        ] {
            assert_eq!(Tag::parse(t).as_str(), t);
        }
        assert_eq!(Tag::parse("UNK"), Tag::Unlisted);
        assert!(ConjForm::parse("連用タ接続").is_continuative());
        assert!(!ConjForm::parse("基本形").is_continuative());
    }
}
