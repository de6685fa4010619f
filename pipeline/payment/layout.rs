//! The 全銀協 総合振込 record layouts as data, and the one writer and one reader derived from them.
//!
//! Each record type (header 1, data 2, trailer 8, end 9) is a table of fields: start (1-based, as
//! the standard prints it), length, type (`N` digits right-aligned and zero-filled, `C` JIS X 0201
//! text left-aligned and space-filled), the item's Japanese name, and whether the content is a value
//! or fixed by the standard. [`encode`] and [`decode`] walk a table; nothing else in kyufu knows a
//! byte position. Typed records live in `zengin.rs`; what a value means is not this file's business.
//!
//! Sources (the 全銀協 standard itself is distributed through the banks; these are banks' and
//! vendors' copies of it, cited per field below by letter):
//! - [A] 全銀協制定ファイルフォーマット【総合振込】, a bank's copy
//!   (<https://expydoc.com/doc/11700435>): item order, N/C types and lengths, 種別コード 21,
//!   コード区分 0 (JIS), 預金種目 codes, 手形交換所番号「未使用(0とする)」, 120 bytes (122 with CRLF),
//!   N right-aligned zero-filled, C left-aligned space-filled.
//! - [B] 「FBデータの仕様」(<https://gulliver-webhelp.askids-cloud.jp/help/gyoumu/99sonota/case_sonota02>):
//!   start positions of the header (1, 2, 4, 5, 15, 55, 59, 63, 78, 81, 96, 97, 104) and of the data
//!   record (1, 2, 6, 21, 24, 39, 43, 44, 51, 81, 91, 92).
//! - [C] 「参考資料 持込規格」(<https://expydoc.com/doc/8010391>): header columns 5〜14, 15〜54,
//!   55〜58, 59〜62, 63〜77, 78〜80, 81〜95, 96, 97〜103, 104〜120; 種別コード「21:総振」.
//! - [D] みずほ Web21「ファイルレイアウト 総合振込（全銀形式）」(<https://happylibus.com/doc/455113>):
//!   新規コード (1 第1回振込分, 2 変更分, 0 その他), 振込指定区分 (7 電信扱, 8 文書扱), 識別表示.
//! - [E] GMO あおぞらネット銀行 API docs, `gmoaozora/gmo-aozora-api-ruby`
//!   `docs/corporation/BulkTransfer.md`: 預金種目 1/2/4/9, 振込金額 1〜9,999,999,999 円,
//!   受取人名 30 桁.
//! - [F] The trailer (合計件数 N(6), 合計金額 N(12), ダミー C(101)) and the end record (ダミー C(119))
//!   as issue 21 states them; the lengths close each record at 120 bytes (checked at compile time).

/// Every record is this long, in bytes, before any line ending ([A]).
pub const RECORD_LEN: usize = 120;

/// The standard's two field types ([A]: 「N」は数字、「C」は半角文字).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Digits, right-aligned, the rest `0`.
    N,
    /// JIS X 0201 text (half-width katakana, upper-case Latin, digits, a few signs), left-aligned,
    /// the rest spaces.
    C,
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// A value the writer supplies, in table order.
    Value,
    /// Bytes the standard prescribes (データ区分, 種別コード …); written as they are, checked on reading.
    Fixed(&'static [u8]),
    /// Unused (ダミー, 未使用): only the fill (`0` for N, spaces for C); checked on reading.
    Blank,
}

/// One item of a record.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// First byte, 1-based, as the standard's tables number it.
    pub start: usize,
    /// Length in bytes.
    pub len: usize,
    pub kind: Kind,
    /// The item's name in the standard (shown to staff when a record is wrong).
    pub name: &'static str,
    pub content: Content,
}

const fn f(start: usize, len: usize, kind: Kind, name: &'static str, content: Content) -> Field {
    Field {
        start,
        len,
        kind,
        name,
        content,
    }
}

use Content::{Blank, Fixed, Value as V};
use Kind::{C, N};

/// A record type: its name and its fields, in order.
#[derive(Debug)]
pub struct Layout {
    pub name: &'static str,
    pub fields: &'static [Field],
}

/// ヘッダー・レコード: one per file.
pub const HEADER: Layout = Layout {
    name: "ヘッダー・レコード",
    fields: &[
        f(1, 1, N, "データ区分", Fixed(b"1")), // [A] 1(ヘッダー・レコード); [B] 1
        f(2, 2, N, "種別コード", Fixed(b"21")), // [A] 21(総合振込); [C] 2〜3 「21:総振」
        f(4, 1, N, "コード区分", Fixed(b"0")), // [A] 0(JISコード); [B] 4
        f(5, 10, N, "振込依頼人コード", V),    // [A] N(10) 銀行の定める委託者コード; [C] 5〜14
        f(15, 40, C, "振込依頼人名", V),       // [A] C(40); [C] 15〜54
        f(55, 4, N, "振込指定日", V),          // [A] N(4) MMDD (銀行営業日); [C] 55〜58
        f(59, 4, N, "仕向銀行番号", V),        // [A] N(4); [C] 59〜62
        f(63, 15, C, "仕向銀行名", V),         // [A] C(15); [C] 63〜77
        f(78, 3, N, "仕向支店番号", V),        // [A] N(3); [C] 78〜80
        f(81, 15, C, "仕向支店名", V),         // [A] C(15); [C] 81〜95
        f(96, 1, N, "預金種目（依頼人）", V),  // [A] 1 普通, 2 当座, 9 その他; [C] 96
        f(97, 7, N, "口座番号（依頼人）", V),  // [A] N(7); [C] 97〜103
        f(104, 17, C, "ダミー", Blank),        // [A] C(17) スペース; [C] 104〜120
    ],
};

/// データ・レコード: one per payment.
pub const DATA: Layout = Layout {
    name: "データ・レコード",
    fields: &[
        f(1, 1, N, "データ区分", Fixed(b"2")), // [A] 2(データ・レコード); [B] 1
        f(2, 4, N, "被仕向銀行番号", V),       // [A] N(4); [B] 2
        f(6, 15, C, "被仕向銀行名", V),        // [A] C(15); [B] 6
        f(21, 3, N, "被仕向支店番号", V),      // [A] N(3); [B] 21
        f(24, 15, C, "被仕向支店名", V),       // [A] C(15); [B] 24
        f(39, 4, N, "手形交換所番号", Blank),  // [A] 未使用(0とする); [B] 39 「0000(固定)」
        f(43, 1, N, "預金種目", V),            // [A] 1, 2, 4 貯蓄, 9; [B] 43
        f(44, 7, N, "口座番号", V),            // [A] N(7); [B] 44
        f(51, 30, C, "受取人名", V),           // [A] C(30); [B] 51; [E] 30 桁
        f(81, 10, N, "振込金額", V),           // [D] N(10); [B] 81; [E] ≤ 9,999,999,999
        f(91, 1, N, "新規コード", Fixed(b"0")), // [D] 0 その他; [B] 91 「0(固定)」
        f(92, 10, N, "顧客コード1", V),        // [D] N(10); [B] 92
        f(102, 10, N, "顧客コード2", V),       // [D] N(10)
        f(112, 1, N, "振込指定区分", Fixed(b"7")), // [D] 7 電信扱 (8 文書扱)
        f(113, 1, C, "識別表示", Blank),       // [D] スペース = 顧客コード (Y = EDI情報)
        f(114, 7, C, "ダミー", Blank),         // [D] ダミー; closes the record at 120
    ],
};

/// トレーラ・レコード: the count and the total, checked by the bank against the data records.
pub const TRAILER: Layout = Layout {
    name: "トレーラ・レコード",
    fields: &[
        f(1, 1, N, "データ区分", Fixed(b"8")), // [F]
        f(2, 6, N, "合計件数", V),             // [F] N(6)
        f(8, 12, N, "合計金額", V),            // [F] N(12)
        f(20, 101, C, "ダミー", Blank),        // [F] C(101)
    ],
};

/// エンド・レコード: the last record of the file.
pub const END: Layout = Layout {
    name: "エンド・レコード",
    fields: &[
        f(1, 1, N, "データ区分", Fixed(b"9")), // [F]
        f(2, 119, C, "ダミー", Blank),         // [F] C(119)
    ],
};

/// True when the fields follow each other from byte 1 and close the record at [`RECORD_LEN`].
const fn contiguous(fields: &[Field]) -> bool {
    let mut next = 1;
    let mut i = 0;
    while i < fields.len() {
        if fields[i].start != next || fields[i].len == 0 {
            return false;
        }
        next += fields[i].len;
        i += 1;
    }
    next == RECORD_LEN + 1
}

// A table typo (a length that does not add up) fails the build, not a bank upload.
const _: () = assert!(contiguous(HEADER.fields));
const _: () = assert!(contiguous(DATA.fields));
const _: () = assert!(contiguous(TRAILER.fields));
const _: () = assert!(contiguous(END.fields));

/// A field's value: the digits of an `N` field, or the JIS X 0201 bytes of a `C` field (without the
/// fill).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Digits(String),
    Text(Vec<u8>),
}

/// Why a record could not be written or read. Shown to payment officers (`--verify`), so Japanese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error("レコードの長さが{found}バイトです（120バイトが必要です）")]
    Length { found: usize },
    #[error("「{field}」が{len}桁を超えています")]
    TooLong { field: &'static str, len: usize },
    #[error("「{field}」に数字以外の文字があります")]
    NotDigits { field: &'static str },
    #[error("「{field}」に使えない文字（0x{byte:02X}）があります")]
    BadByte { field: &'static str, byte: u8 },
    #[error("「{field}」が規定の内容と異なります")]
    Fixed { field: &'static str },
    #[error("{layout}の項目の数が合いません（書込みの誤り）")]
    Arity { layout: &'static str },
}

/// A byte a `C` field may hold: JIS X 0201 printable (Latin half 0x20–0x7E, katakana 0xA1–0xDF).
pub fn is_jis_x0201_printable(b: u8) -> bool {
    (0x20..=0x7E).contains(&b) || (0xA1..=0xDF).contains(&b)
}

/// Writes one record from the values of its `Value` fields, in table order.
pub fn encode(layout: &Layout, values: &[Value]) -> Result<[u8; RECORD_LEN], LayoutError> {
    let mut out = [0u8; RECORD_LEN];
    let mut values = values.iter();
    for field in layout.fields {
        let slot = &mut out[field.start - 1..field.start - 1 + field.len];
        let fill = match field.kind {
            N => b'0',
            C => b' ',
        };
        slot.fill(fill);
        let bytes: &[u8] = match field.content {
            Blank => continue,
            Fixed(bytes) => bytes,
            V => match (field.kind, values.next()) {
                (N, Some(Value::Digits(d))) => {
                    if !d.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(LayoutError::NotDigits { field: field.name });
                    }
                    d.as_bytes()
                }
                (C, Some(Value::Text(t))) => {
                    if let Some(&byte) = t.iter().find(|&&b| !is_jis_x0201_printable(b)) {
                        return Err(LayoutError::BadByte {
                            field: field.name,
                            byte,
                        });
                    }
                    t
                }
                _ => {
                    return Err(LayoutError::Arity {
                        layout: layout.name,
                    })
                }
            },
        };
        if bytes.len() > field.len {
            return Err(LayoutError::TooLong {
                field: field.name,
                len: field.len,
            });
        }
        match field.kind {
            N => slot[field.len - bytes.len()..].copy_from_slice(bytes),
            C => slot[..bytes.len()].copy_from_slice(bytes),
        }
    }
    if values.next().is_some() {
        return Err(LayoutError::Arity {
            layout: layout.name,
        });
    }
    Ok(out)
}

/// Reads one record: checks every fixed and blank field, and returns the `Value` fields in table
/// order (`N` as all its digits, zeros included; `C` without the trailing spaces).
pub fn decode(layout: &Layout, record: &[u8]) -> Result<Vec<Value>, LayoutError> {
    if record.len() != RECORD_LEN {
        return Err(LayoutError::Length {
            found: record.len(),
        });
    }
    let mut values = Vec::with_capacity(layout.fields.len());
    for field in layout.fields {
        let slot = &record[field.start - 1..field.start - 1 + field.len];
        match field.kind {
            N if !slot.iter().all(u8::is_ascii_digit) => {
                return Err(LayoutError::NotDigits { field: field.name })
            }
            C => {
                if let Some(&byte) = slot.iter().find(|&&b| !is_jis_x0201_printable(b)) {
                    return Err(LayoutError::BadByte {
                        field: field.name,
                        byte,
                    });
                }
            }
            _ => {}
        }
        match field.content {
            Fixed(bytes) => {
                let expected = encode_fixed(field, bytes);
                if slot != &expected[..] {
                    return Err(LayoutError::Fixed { field: field.name });
                }
            }
            Blank => {
                let fill = if field.kind == N { b'0' } else { b' ' };
                if slot.iter().any(|&b| b != fill) {
                    return Err(LayoutError::Fixed { field: field.name });
                }
            }
            V => values.push(match field.kind {
                // Digits only, checked above, so this is valid UTF-8.
                N => Value::Digits(slot.iter().map(|&b| b as char).collect()),
                C => {
                    let end = slot.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
                    Value::Text(slot[..end].to_vec())
                }
            }),
        }
    }
    Ok(values)
}

/// A fixed field's bytes padded the way the field's type pads.
fn encode_fixed(field: &Field, bytes: &[u8]) -> Vec<u8> {
    let pad = field.len.saturating_sub(bytes.len());
    match field.kind {
        N => std::iter::repeat_n(b'0', pad)
            .chain(bytes.iter().copied())
            .collect(),
        C => bytes
            .iter()
            .copied()
            .chain(std::iter::repeat_n(b' ', pad))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layout_closes_at_120_bytes_without_gaps() {
        for layout in [&HEADER, &DATA, &TRAILER, &END] {
            assert!(contiguous(layout.fields), "{}", layout.name);
            let total: usize = layout.fields.iter().map(|f| f.len).sum();
            assert_eq!(total, RECORD_LEN, "{}", layout.name);
        }
    }

    #[test]
    fn numbers_pad_left_with_zeros_and_text_pads_right_with_spaces() {
        let rec = encode(
            &TRAILER,
            &[Value::Digits("3".into()), Value::Digits("30000".into())],
        )
        .unwrap();
        assert_eq!(&rec[..19], b"8000003000000030000"); // 8, 000003, 000000030000
        assert!(rec[19..].iter().all(|&b| b == b' '));
        assert_eq!(
            decode(&TRAILER, &rec).unwrap(),
            vec![
                Value::Digits("000003".into()),
                Value::Digits("000000030000".into())
            ]
        );
    }

    #[test]
    fn a_value_longer_than_its_field_is_refused_not_cut() {
        let err = encode(
            &TRAILER,
            &[Value::Digits("1234567".into()), Value::Digits("0".into())],
        )
        .unwrap_err();
        assert_eq!(
            err,
            LayoutError::TooLong {
                field: "合計件数",
                len: 6
            }
        );
    }

    #[test]
    fn reading_checks_fixed_and_blank_fields() {
        let mut rec = encode(
            &TRAILER,
            &[Value::Digits("1".into()), Value::Digits("1".into())],
        )
        .unwrap();
        rec[0] = b'2';
        assert_eq!(
            decode(&TRAILER, &rec).unwrap_err(),
            LayoutError::Fixed {
                field: "データ区分"
            }
        );
        rec[0] = b'8';
        rec[119] = b'X';
        assert_eq!(
            decode(&TRAILER, &rec).unwrap_err(),
            LayoutError::Fixed { field: "ダミー" }
        );
        assert_eq!(
            decode(&TRAILER, &rec[..119]).unwrap_err(),
            LayoutError::Length { found: 119 }
        );
    }
}
