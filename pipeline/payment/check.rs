//! Checks before writing: each payment either becomes a data record (with what a person must confirm)
//! or is held out of the file with its Japanese reasons, every reason at once.
//!
//! Checked here: 銀行番号 4 digits, 支店番号 3, 口座番号 7, 預金種目 known, 振込金額 1〜9,999,999,999
//! 円, 受取人名 convertible to bank kana (kanji refused). Flagged for confirmation, not held: a name
//! the conversion changed beyond width or cut, and an account holder's name that differs from the
//! applicant's. The 振込指定日 is a property of the whole file (`calendar.rs`, checked in `mod.rs`).
//! Pure; called by `mod.rs`.

use super::kana::{self, KanaChange, KanaRefusal, PAYEE_NAME_BYTES};
use super::zengin::{DataRecord, MAX_AMOUNT_YEN};
use super::{AccountType, Payment};

/// Why a payment is held out of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldReason {
    BankCode,
    BranchCode,
    AccountNumber,
    AccountType,
    Amount,
    PayeeName(KanaRefusal),
}

impl HoldReason {
    /// A stable code for JSON and the journal.
    pub fn code(&self) -> &'static str {
        match self {
            HoldReason::BankCode => "bank_code",
            HoldReason::BranchCode => "branch_code",
            HoldReason::AccountNumber => "account_number",
            HoldReason::AccountType => "account_type",
            HoldReason::Amount => "amount",
            HoldReason::PayeeName(r) => r.code(),
        }
    }

    /// The reason as a payment officer reads it.
    pub fn message(&self) -> String {
        match self {
            HoldReason::BankCode => "金融機関コードが4桁の数字ではありません".into(),
            HoldReason::BranchCode => "支店コードが3桁の数字ではありません".into(),
            HoldReason::AccountNumber => "口座番号が7桁の数字ではありません".into(),
            HoldReason::AccountType => {
                "預金種目が不明です（普通・当座・貯蓄のいずれかが必要です）".into()
            }
            HoldReason::Amount => "振込金額が1円以上9,999,999,999円以下ではありません".into(),
            HoldReason::PayeeName(r) => format!("受取人名: {r}"),
        }
    }
}

/// What a person must confirm before the file is released.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToConfirm {
    /// The 受取人名 conversion changed the name beyond width, or cut it.
    Name(KanaChange),
    /// The account holder's name (holder_kana) differs from the applicant's name_kana, or the
    /// applicant's is missing.
    HolderIsNotApplicant,
}

impl ToConfirm {
    pub fn code(&self) -> &'static str {
        match self {
            ToConfirm::Name(c) => c.code(),
            ToConfirm::HolderIsNotApplicant => "holder_not_applicant",
        }
    }

    pub fn message(&self) -> String {
        match self {
            ToConfirm::Name(c) => format!("受取人名: {}", c.message()),
            ToConfirm::HolderIsNotApplicant => {
                "口座名義（カナ）が申請者の氏名（カナ）と一致しません".into()
            }
        }
    }
}

/// A payment that will be written, and what to confirm about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// Index into the payments given.
    pub index: usize,
    /// The data record, with 顧客コード1/2 still 0 (numbered when the file is written).
    pub record: DataRecord,
    pub to_confirm: Vec<ToConfirm>,
}

/// A payment held out of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub index: usize,
    pub case_id: String,
    pub reasons: Vec<HoldReason>,
}

fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Checks one payment (see the module docs).
pub fn check(index: usize, p: &Payment) -> Result<Accepted, Held> {
    let mut reasons = Vec::new();
    if !is_digits(&p.bank_code, 4) {
        reasons.push(HoldReason::BankCode);
    }
    if !is_digits(&p.branch_code, 3) {
        reasons.push(HoldReason::BranchCode);
    }
    if !is_digits(&p.account_number, 7) {
        reasons.push(HoldReason::AccountNumber);
    }
    let account_type = AccountType::from_application(&p.account_type);
    if account_type.is_none() {
        reasons.push(HoldReason::AccountType);
    }
    if !(1..=MAX_AMOUNT_YEN).contains(&p.amount_yen) {
        reasons.push(HoldReason::Amount);
    }
    let payee = kana::to_bank_kana(&p.payee_kana, PAYEE_NAME_BYTES);
    if let Err(refusal) = &payee {
        reasons.push(HoldReason::PayeeName(*refusal));
    }
    match (payee, account_type) {
        (Ok(payee), Some(account_type)) if reasons.is_empty() => {
            let mut to_confirm: Vec<ToConfirm> =
                payee.changes.into_iter().map(ToConfirm::Name).collect();
            let same = p
                .applicant_name_kana
                .as_deref()
                .is_some_and(|a| kana::same_name(&p.payee_kana, a));
            if !same {
                to_confirm.push(ToConfirm::HolderIsNotApplicant);
            }
            Ok(Accepted {
                index,
                record: DataRecord {
                    bank_code: p.bank_code.clone(),
                    bank_name: Vec::new(),
                    branch_code: p.branch_code.clone(),
                    branch_name: Vec::new(),
                    account_type,
                    account_number: p.account_number.clone(),
                    payee: payee.bytes,
                    amount_yen: p.amount_yen,
                    customer_code_1: 0,
                    customer_code_2: 0,
                },
                to_confirm,
            })
        }
        _ => Err(Held {
            index,
            case_id: p.case_id.clone(),
            reasons,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payment() -> Payment {
        Payment {
            case_id: "case-1".into(),
            document_number: "さ子支第1号".into(),
            payee_kana: "ﾔﾏﾀﾞ ﾊﾅｺ".into(),
            applicant_name_kana: Some("ヤマダ ハナコ".into()),
            bank_code: "0001".into(),
            branch_code: "001".into(),
            account_type: "ordinary".into(),
            account_number: "1234567".into(),
            amount_yen: 169_100,
        }
    }

    #[test]
    fn a_good_payment_becomes_a_record_with_nothing_to_confirm() {
        let a = check(0, &payment()).unwrap();
        assert_eq!(a.record.payee, b"\xD4\xCF\xC0\xDE \xCA\xC5\xBA");
        assert_eq!(a.record.amount_yen, 169_100);
        assert_eq!(a.record.account_type, AccountType::Ordinary);
        assert!(a.to_confirm.is_empty());
    }

    #[test]
    fn every_reason_is_given_at_once() {
        let p = Payment {
            bank_code: "001".into(),
            branch_code: "0001".into(),
            account_number: "123456".into(),
            account_type: "定期".into(),
            amount_yen: 0,
            payee_kana: "山田 花子".into(),
            ..payment()
        };
        let held = check(3, &p).unwrap_err();
        assert_eq!(held.index, 3);
        assert_eq!(held.case_id, "case-1");
        let codes: Vec<_> = held.reasons.iter().map(HoldReason::code).collect();
        assert_eq!(
            codes,
            [
                "bank_code",
                "branch_code",
                "account_number",
                "account_type",
                "amount",
                "kanji_in_kana"
            ]
        );
        assert_eq!(
            held.reasons[5].message(),
            "受取人名: カナ氏名に漢字が含まれています（読みを推測しません）"
        );
    }

    #[test]
    fn a_negative_or_too_large_amount_is_held() {
        for amount_yen in [-1, 0, 10_000_000_000] {
            let held = check(
                0,
                &Payment {
                    amount_yen,
                    ..payment()
                },
            )
            .unwrap_err();
            assert_eq!(held.reasons, [HoldReason::Amount]);
        }
        assert!(check(
            0,
            &Payment {
                amount_yen: 9_999_999_999,
                ..payment()
            }
        )
        .is_ok());
    }

    #[test]
    fn a_holder_who_is_not_the_applicant_is_flagged_not_held() {
        let p = Payment {
            payee_kana: "タナカ タロウ".into(),
            ..payment()
        };
        let a = check(0, &p).unwrap();
        assert_eq!(a.to_confirm, [ToConfirm::HolderIsNotApplicant]);
        let p = Payment {
            applicant_name_kana: None,
            ..payment()
        };
        assert_eq!(
            check(0, &p).unwrap().to_confirm,
            [ToConfirm::HolderIsNotApplicant]
        );
    }

    #[test]
    fn a_changed_name_is_listed_for_confirmation() {
        let p = Payment {
            payee_kana: "ヴァレリー カヲル".into(),
            applicant_name_kana: Some("ヴァレリー カヲル".into()),
            ..payment()
        };
        let a = check(0, &p).unwrap();
        let codes: Vec<_> = a.to_confirm.iter().map(ToConfirm::code).collect();
        assert_eq!(codes, ["vu_as_u_dakuten", "wo_as_o"]);
    }
}
