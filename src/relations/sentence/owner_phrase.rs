//! Which phrases that modify a role noun may name its owner.
use super::{Kind, Link, Sent};
use crate::text::is_hiragana;

impl Sent<'_> {
    /// Whether bunsetsu `j` is a noun phrase modifying the one after it that
    /// may name a role noun's owner there: a の-phrase (Xの社長) or a bare noun
    /// (X・社長), not one that only sets the scene (X質疑における大臣, Xに
    /// 関する担当者).
    pub(super) fn owner_phrase(&self, j: usize) -> bool {
        let x = &self.bs[j];
        x.link == Link::Adnominal
            && x.kind == Kind::Nominal
            && x.function
                .iter()
                .all(|f| f == "の" || !f.chars().any(is_hiragana))
    }
}
