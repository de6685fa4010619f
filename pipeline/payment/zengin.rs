//! A 全銀協 総合振込 file: typed records, the writer, and the reader `--verify` uses.
//!
//! The byte positions are in `layout.rs`; this file only maps typed records to and from a layout's
//! values, frames the records (line ending none or CRLF), and checks a file read back: header first,
//! then data records, trailer, end, nothing after; every record 120 bytes; the trailer's 合計件数 and
//! 合計金額 equal the data records'. It does not decide what to pay (`check.rs`) nor record a batch
//! (the journal). Called by `mod.rs` (writing) and, later, `kyufu export-payments --verify`.

use serde::{Deserialize, Serialize};

use super::layout::{self, Layout, LayoutError, Value, RECORD_LEN};
use super::AccountType;

/// What follows each 120-byte record, as the paying bank requires (none, or CR LF; CR or LF alone is
/// refused by banks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineEnding {
    None,
    Crlf,
}

impl LineEnding {
    pub fn bytes(self) -> &'static [u8] {
        match self {
            LineEnding::None => b"",
            LineEnding::Crlf => b"\r\n",
        }
    }
}

/// ヘッダー・レコード: the remitter (the office) and the 振込指定日.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// 振込依頼人コード, 10 digits.
    pub remitter_code: String,
    /// 振込依頼人名, JIS X 0201 bytes (≤ 40).
    pub remitter_name: Vec<u8>,
    /// 振込指定日 as MMDD.
    pub transfer_mmdd: String,
    /// 仕向銀行番号, 4 digits.
    pub bank_code: String,
    pub bank_name: Vec<u8>,
    /// 仕向支店番号, 3 digits.
    pub branch_code: String,
    pub branch_name: Vec<u8>,
    pub account_type: AccountType,
    /// 口座番号, 7 digits.
    pub account_number: String,
}

/// データ・レコード: one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRecord {
    /// 被仕向銀行番号, 4 digits.
    pub bank_code: String,
    /// 被仕向銀行名 (optional for most banks; kyufu writes spaces).
    pub bank_name: Vec<u8>,
    /// 被仕向支店番号, 3 digits.
    pub branch_code: String,
    pub branch_name: Vec<u8>,
    pub account_type: AccountType,
    /// 口座番号, 7 digits.
    pub account_number: String,
    /// 受取人名, JIS X 0201 bytes (≤ 30).
    pub payee: Vec<u8>,
    /// 振込金額 (円), 1 ≤ amount ≤ 9,999,999,999.
    pub amount_yen: i64,
    /// 顧客コード1: kyufu writes the record's number in the file (1, 2, …).
    pub customer_code_1: u64,
    /// 顧客コード2: kyufu writes the batch number.
    pub customer_code_2: u64,
}

/// トレーラ・レコード.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trailer {
    /// 合計件数 (N6).
    pub count: u64,
    /// 合計金額, 円 (N12).
    pub total_yen: i64,
}

/// The most records a trailer can count (N(6)).
pub const MAX_COUNT: u64 = 999_999;
/// The largest total a trailer can hold, 円 (N(12)).
pub const MAX_TOTAL_YEN: i64 = 999_999_999_999;
/// The largest amount one data record can hold, 円 (N(10)).
pub const MAX_AMOUNT_YEN: i64 = 9_999_999_999;

/// Why a file could not be written, or a file read back is not a valid 総合振込 file. Shown to payment
/// officers, so Japanese; record numbers count from 1 (the header).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZenginError {
    #[error("第{record}レコード（{layout}）: {error}")]
    Record {
        record: usize,
        layout: &'static str,
        error: LayoutError,
    },
    #[error(
        "ファイルの長さ（{len}バイト）が120バイトのレコード（改行付きは122バイト）の倍数ではありません"
    )]
    Framing { len: usize },
    #[error("第{record}レコードの後に改行（CR LF）がありません")]
    LineEnding { record: usize },
    #[error("第{record}レコードのデータ区分が「{found}」です（{expected}が必要です）")]
    Order {
        record: usize,
        found: char,
        expected: &'static str,
    },
    #[error("{missing}がありません")]
    Missing { missing: &'static str },
    #[error("エンド・レコードの後に第{record}レコードがあります")]
    AfterEnd { record: usize },
    #[error(
        "トレーラの合計件数 {trailer_count} 件・合計金額 {trailer_total} 円が、\
         データ・レコードの {count} 件・{total} 円と一致しません"
    )]
    TrailerMismatch {
        trailer_count: u64,
        trailer_total: i64,
        count: u64,
        total: i128,
    },
    #[error("件数または合計金額が全銀フォーマットの上限を超えます（{count} 件、{total} 円）")]
    TooMuch { count: u64, total: i128 },
    #[error("第{record}レコードの振込金額が0円以下または上限超過です")]
    Amount { record: usize },
    #[error("第{record}レコードの預金種目が不明です")]
    AccountType { record: usize },
}

/// A file read back and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZenginFile {
    pub line_ending: LineEnding,
    pub header: Header,
    pub records: Vec<DataRecord>,
    pub trailer: Trailer,
}

fn digits(s: &str) -> Value {
    Value::Digits(s.to_owned())
}

fn text(b: &[u8]) -> Value {
    Value::Text(b.to_vec())
}

fn header_values(h: &Header) -> Vec<Value> {
    vec![
        digits(&h.remitter_code),
        text(&h.remitter_name),
        digits(&h.transfer_mmdd),
        digits(&h.bank_code),
        text(&h.bank_name),
        digits(&h.branch_code),
        text(&h.branch_name),
        Value::Digits(h.account_type.code().to_string()),
        digits(&h.account_number),
    ]
}

fn data_values(r: &DataRecord) -> Vec<Value> {
    vec![
        digits(&r.bank_code),
        text(&r.bank_name),
        digits(&r.branch_code),
        text(&r.branch_name),
        Value::Digits(r.account_type.code().to_string()),
        digits(&r.account_number),
        text(&r.payee),
        Value::Digits(r.amount_yen.to_string()),
        Value::Digits(r.customer_code_1.to_string()),
        Value::Digits(r.customer_code_2.to_string()),
    ]
}

/// Writes a whole file: header, one data record per payment, the trailer computed from them, end.
pub fn write_file(
    header: &Header,
    records: &[DataRecord],
    ending: LineEnding,
) -> Result<Vec<u8>, ZenginError> {
    let count = records.len() as u64;
    let total: i128 = records.iter().map(|r| i128::from(r.amount_yen)).sum();
    if count > MAX_COUNT || total > i128::from(MAX_TOTAL_YEN) {
        return Err(ZenginError::TooMuch { count, total });
    }
    for (i, r) in records.iter().enumerate() {
        if !(1..=MAX_AMOUNT_YEN).contains(&r.amount_yen) {
            return Err(ZenginError::Amount { record: i + 2 });
        }
    }
    let trailer = Trailer {
        count,
        total_yen: total as i64,
    };
    let mut out = Vec::with_capacity((records.len() + 3) * (RECORD_LEN + 2));
    let mut put = |n: usize, layout: &Layout, values: Vec<Value>| {
        let rec = layout::encode(layout, &values).map_err(|error| ZenginError::Record {
            record: n,
            layout: layout.name,
            error,
        })?;
        out.extend_from_slice(&rec);
        out.extend_from_slice(ending.bytes());
        Ok::<(), ZenginError>(())
    };
    put(1, &layout::HEADER, header_values(header))?;
    for (i, r) in records.iter().enumerate() {
        put(i + 2, &layout::DATA, data_values(r))?;
    }
    let n = records.len() + 2;
    put(
        n,
        &layout::TRAILER,
        vec![
            Value::Digits(trailer.count.to_string()),
            Value::Digits(trailer.total_yen.to_string()),
        ],
    )?;
    put(n + 1, &layout::END, vec![])?;
    Ok(out)
}

/// Splits a file into its 120-byte records, finding whether CR LF follows each.
fn split(bytes: &[u8]) -> Result<(LineEnding, Vec<&[u8]>), ZenginError> {
    let crlf = bytes.len() >= RECORD_LEN + 2 && &bytes[RECORD_LEN..RECORD_LEN + 2] == b"\r\n";
    let (ending, stride) = if crlf {
        (LineEnding::Crlf, RECORD_LEN + 2)
    } else {
        (LineEnding::None, RECORD_LEN)
    };
    if bytes.is_empty() || !bytes.len().is_multiple_of(stride) {
        return Err(ZenginError::Framing { len: bytes.len() });
    }
    let mut records = Vec::with_capacity(bytes.len() / stride);
    for (i, chunk) in bytes.chunks(stride).enumerate() {
        if crlf && &chunk[RECORD_LEN..] != b"\r\n" {
            return Err(ZenginError::LineEnding { record: i + 1 });
        }
        records.push(&chunk[..RECORD_LEN]);
    }
    Ok((ending, records))
}

fn decode(n: usize, layout: &Layout, rec: &[u8]) -> Result<Vec<Value>, ZenginError> {
    layout::decode(layout, rec).map_err(|error| ZenginError::Record {
        record: n,
        layout: layout.name,
        error,
    })
}

/// Takes the values of a decoded record in order.
struct Values(std::vec::IntoIter<Value>);

impl Values {
    fn digits(&mut self) -> String {
        match self.0.next() {
            Some(Value::Digits(d)) => d,
            _ => String::new(),
        }
    }
    fn text(&mut self) -> Vec<u8> {
        match self.0.next() {
            Some(Value::Text(t)) => t,
            _ => Vec::new(),
        }
    }
    fn number(&mut self) -> u64 {
        // At most 12 digits (checked by decode), so it fits.
        self.digits().parse().unwrap_or(0)
    }
}

/// Reads a file back and checks its structure and its trailer; see the module docs.
pub fn read_file(bytes: &[u8]) -> Result<ZenginFile, ZenginError> {
    let (line_ending, recs) = split(bytes)?;
    let kind = |rec: &[u8]| rec[0] as char;
    // Header.
    let first = recs[0];
    if kind(first) != '1' {
        return Err(ZenginError::Order {
            record: 1,
            found: kind(first),
            expected: "ヘッダー・レコード（1）",
        });
    }
    let mut v = Values(decode(1, &layout::HEADER, first)?.into_iter());
    let header = Header {
        remitter_code: v.digits(),
        remitter_name: v.text(),
        transfer_mmdd: v.digits(),
        bank_code: v.digits(),
        bank_name: v.text(),
        branch_code: v.digits(),
        branch_name: v.text(),
        account_type: AccountType::from_code(&v.digits())
            .ok_or(ZenginError::AccountType { record: 1 })?,
        account_number: v.digits(),
    };
    // Data records, until the first record that is not one.
    let mut records = Vec::new();
    let mut i = 1;
    while i < recs.len() && kind(recs[i]) == '2' {
        let mut v = Values(decode(i + 1, &layout::DATA, recs[i])?.into_iter());
        records.push(DataRecord {
            bank_code: v.digits(),
            bank_name: v.text(),
            branch_code: v.digits(),
            branch_name: v.text(),
            account_type: AccountType::from_code(&v.digits())
                .ok_or(ZenginError::AccountType { record: i + 1 })?,
            account_number: v.digits(),
            payee: v.text(),
            amount_yen: v.number() as i64,
            customer_code_1: v.number(),
            customer_code_2: v.number(),
        });
        i += 1;
    }
    // Trailer, then end, then nothing.
    let Some(&trailer_rec) = recs.get(i) else {
        return Err(ZenginError::Missing {
            missing: "トレーラ・レコード",
        });
    };
    if kind(trailer_rec) != '8' {
        return Err(ZenginError::Order {
            record: i + 1,
            found: kind(trailer_rec),
            expected: "データ・レコード（2）またはトレーラ・レコード（8）",
        });
    }
    let mut v = Values(decode(i + 1, &layout::TRAILER, trailer_rec)?.into_iter());
    let trailer = Trailer {
        count: v.number(),
        total_yen: v.number() as i64,
    };
    let Some(&end_rec) = recs.get(i + 1) else {
        return Err(ZenginError::Missing {
            missing: "エンド・レコード",
        });
    };
    if kind(end_rec) != '9' {
        return Err(ZenginError::Order {
            record: i + 2,
            found: kind(end_rec),
            expected: "エンド・レコード（9）",
        });
    }
    decode(i + 2, &layout::END, end_rec)?;
    if recs.len() > i + 2 {
        return Err(ZenginError::AfterEnd { record: i + 3 });
    }
    let count = records.len() as u64;
    let total: i128 = records.iter().map(|r| i128::from(r.amount_yen)).sum();
    if trailer.count != count || i128::from(trailer.total_yen) != total {
        return Err(ZenginError::TrailerMismatch {
            trailer_count: trailer.count,
            trailer_total: trailer.total_yen,
            count,
            total,
        });
    }
    for (n, r) in records.iter().enumerate() {
        if r.amount_yen <= 0 {
            return Err(ZenginError::Amount { record: n + 2 });
        }
    }
    Ok(ZenginFile {
        line_ending,
        header,
        records,
        trailer,
    })
}
