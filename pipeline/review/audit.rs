//! The audit log's hash chain: each entry's SHA-256 covers the previous entry's hash and its own
//! fields, so an entry edited, removed or inserted afterwards breaks the chain from there on.
//!
//! Pure: the store appends entries with [`entry_hash`], `kyufu audit verify` walks them with
//! [`verify`]. What the chain cannot show: an intruder who rewrites the *last* entries and every hash
//! after the edit. Copying the latest hash elsewhere (a print-out, another system) anchors it.

use serde::Serialize;

use super::store::AuditRow;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 over the previous hash and the entry's fields, as one JSON array (unambiguous: no field
/// can run into the next).
pub fn entry_hash(
    prev_hash: &str,
    id: i64,
    at: &str,
    user_id: Option<i64>,
    action: &str,
    case_id: Option<&str>,
    detail: &str,
) -> String {
    let fields = serde_json::json!([prev_hash, id, at, user_id, action, case_id, detail]);
    crate::run::files::sha256_hex(fields.to_string().as_bytes())
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The first entry that does not hold.
    pub entry: i64,
    /// `content` (its fields or hash were changed) or `link` (the entry before it is not the one it
    /// was chained to: removed or inserted).
    pub kind: &'static str,
}

/// What `kyufu audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    pub entries: usize,
    pub last_hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub broken: Option<Break>,
}

impl Verified {
    pub fn line_ja(&self) -> String {
        match &self.broken {
            None => format!(
                "監査ログ {}件: 連鎖は途切れていません（最終ハッシュ {}）",
                self.entries, self.last_hash
            ),
            Some(b) if b.kind == "link" => format!(
                "監査ログの第{}項で連鎖が途切れています（直前の項が削除または挿入されています）",
                b.entry
            ),
            Some(b) => format!(
                "監査ログの第{}項で連鎖が途切れています（項の内容が書き換えられています）",
                b.entry
            ),
        }
    }
}

/// Walks the chain, oldest first, and names the first entry that does not hold.
pub fn verify(rows: &[AuditRow]) -> Verified {
    let mut prev = GENESIS.to_string();
    for r in rows {
        if r.prev_hash != prev {
            return broken(rows.len(), &prev, r.id, "link");
        }
        let h = entry_hash(
            &r.prev_hash,
            r.id,
            &r.at,
            r.user_id,
            &r.action,
            r.case_id.as_deref(),
            &r.detail,
        );
        if h != r.hash {
            return broken(rows.len(), &prev, r.id, "content");
        }
        prev = r.hash.clone();
    }
    Verified {
        entries: rows.len(),
        last_hash: prev,
        broken: None,
    }
}

fn broken(entries: usize, last: &str, entry: i64, kind: &'static str) -> Verified {
    Verified {
        entries,
        last_hash: last.to_string(),
        broken: Some(Break { entry, kind }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditRow> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|id| {
                let at = format!("2026-07-0{id}T10:00:00+09:00");
                let hash = entry_hash(
                    &prev,
                    id,
                    &at,
                    Some(1),
                    "corrected",
                    Some("2026-000001"),
                    "{}",
                );
                let row = AuditRow {
                    id,
                    at,
                    user_id: Some(1),
                    action: "corrected".into(),
                    case_id: Some("2026-000001".into()),
                    detail: "{}".into(),
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                row
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_holds_and_an_edit_or_a_removal_is_named() {
        let rows = chain(4);
        assert_eq!(verify(&rows).broken, None);
        let mut edited = rows.clone();
        edited[2].user_id = Some(2);
        assert_eq!(
            verify(&edited).broken,
            Some(Break {
                entry: 3,
                kind: "content"
            })
        );
        let mut removed = rows.clone();
        removed.remove(1);
        assert_eq!(
            verify(&removed).broken,
            Some(Break {
                entry: 3,
                kind: "link"
            })
        );
    }
}
