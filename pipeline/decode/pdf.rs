//! PDF → pages: a page that carries text (a digital PDF) gives its text layer; a page without text
//! (a scan) gives its largest image XObject, decoded here (DCTDecode via the JPEG decoder, FlateDecode
//! and uncompressed samples by hand).
//!
//! Called by `decode`'s [`super::Pages`], one page at a time. Limits are applied in this order: page
//! count (before any page is read), each image's declared size (before its data is inflated), then
//! the inflated size itself (bounded reads, so a decompression bomb stops at the limit). Object-graph walks are bounded, so a
//! cyclic page tree or resource chain ends in an error, not a hang.
//!
//! Not handled (refused with `Unsupported`, so the file goes to a person): CCITT fax, JBIG2 and
//! JPEG 2000 images, images only reachable through form XObjects, CMYK/Lab samples.

use std::io::Read;

use image::DynamicImage;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

use super::{find, raster, DecodeError, Format, Limits, Page, PageContent, TextLayer};

/// How far a `/Parent` chain is followed looking for inherited `/Resources`: real page trees are a
/// few levels deep; a cycle must not be followed for ever.
const MAX_PARENT_DEPTH: usize = 32;

/// Most bytes a page's content streams may inflate to (text extraction): generous for any real page
/// of text, small enough that a bomb cannot exhaust memory.
const MAX_CONTENT_BYTES: usize = 16 * 1024 * 1024;

/// A PDF's pages, each decoded when asked for (see [`super::Pages`]).
pub(super) struct PdfPages<'a> {
    doc: Document,
    page_ids: std::vec::IntoIter<ObjectId>,
    limits: &'a Limits,
    /// The number of the last page given (1-based).
    number: u32,
}

impl<'a> PdfPages<'a> {
    /// Loads the document and counts its pages; no page is decoded yet.
    pub(super) fn open(bytes: &[u8], limits: &'a Limits) -> Result<PdfPages<'a>, DecodeError> {
        let options = LoadOptions {
            // Object and xref streams are inflated while loading; bound each one.
            max_decompressed_size: Some(usize::try_from(limits.max_alloc()).unwrap_or(usize::MAX)),
            ..LoadOptions::default()
        };
        let doc = match Document::load_mem_with_options(bytes, options) {
            Ok(doc) => doc,
            Err(e) => {
                // lopdf fails on encryption it cannot undo; say "encrypted", not "damaged", so the
                // sender knows what to change.
                if trailer_declares_encryption(bytes) {
                    return Err(DecodeError::Encrypted);
                }
                return Err(corrupt(None, e.to_string()));
            }
        };
        if doc.is_encrypted() {
            // Still encrypted after load: the empty user password did not open it.
            return Err(DecodeError::Encrypted);
        }

        // Count pages before reading any, stopping one past the limit: a 10,000-page file is
        // refused without walking all of it.
        let page_ids: Vec<ObjectId> = doc
            .page_iter()
            .take(limits.max_pages as usize + 1)
            .collect();
        if page_ids.len() > limits.max_pages as usize {
            return Err(DecodeError::TooManyPages {
                pages: page_ids.len() as u64,
                limit: limits.max_pages,
            });
        }
        if page_ids.is_empty() {
            return Err(DecodeError::NoPages);
        }
        Ok(PdfPages {
            doc,
            page_ids: page_ids.into_iter(),
            limits,
            number: 0,
        })
    }

    /// The next page, `None` after the last.
    pub(super) fn next(&mut self) -> Option<Result<Page, DecodeError>> {
        let page_id = self.page_ids.next()?;
        self.number += 1;
        let number = self.number;
        Some(
            decode_page(&self.doc, number, page_id, self.limits)
                .map(|content| Page { number, content }),
        )
    }
}

fn corrupt(page: Option<u32>, detail: String) -> DecodeError {
    DecodeError::Corrupt {
        format: Some(Format::Pdf),
        page,
        detail,
    }
}

/// `/Encrypt` in the last trailer region of the file (where the trailer or xref-stream dictionary
/// lives).
fn trailer_declares_encryption(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    find(tail, b"/Encrypt").is_some()
}

fn decode_page(
    doc: &Document,
    number: u32,
    page_id: ObjectId,
    limits: &Limits,
) -> Result<PageContent, DecodeError> {
    let lines = page_text(doc, number)?;
    if lines.iter().any(|l| !l.trim().is_empty()) {
        return Ok(PageContent::Text(TextLayer { lines }));
    }
    let resources = page_resources(doc, page_id);
    let images = resources
        .map(|r| image_xobjects(doc, r))
        .unwrap_or_default();
    // A scan is one image per page; when a scanner splits it (or adds a logo), the largest is the page.
    let largest = images
        .into_iter()
        .max_by_key(|(_, dict)| dim(dict, b"Width").saturating_mul(dim(dict, b"Height")));
    match largest {
        Some((id, _)) => decode_image_xobject(doc, id, number, limits).map(PageContent::Image),
        // Neither text nor an image: a blank page, or text drawn as vector outlines, which would
        // need a PDF renderer to OCR. An empty text layer lets the rest of the file through;
        // `extract` finds nothing on it and the case goes to a person.
        None => Ok(PageContent::Text(TextLayer::default())),
    }
}

/// The page's text, one entry per text line as the PDF draws them (split at `ET` and `T*`).
fn page_text(doc: &Document, number: u32) -> Result<Vec<String>, DecodeError> {
    let mut lines = Vec::new();
    for chunk in doc.extract_text_chunks_with_limit(&[number], MAX_CONTENT_BYTES) {
        match chunk {
            Ok(text) => lines.extend(
                text.split('\n')
                    .map(|l| l.trim_end().to_string())
                    .filter(|l| !l.is_empty()),
            ),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                limit,
            })) => {
                return Err(DecodeError::Bomb {
                    page: number,
                    limit: limit as u64,
                })
            }
            // A font without a usable encoding yields no text for its runs; other fonts may still
            // give text, and a page with none at all falls back to its images.
            Err(_) => {}
        }
    }
    Ok(lines)
}

/// The page's `/Resources`, inherited from its ancestors if the page has none.
fn page_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_dictionary(page_id).ok()?;
    for _ in 0..MAX_PARENT_DEPTH {
        if let Ok(resources) = node.get_deref(b"Resources", doc).and_then(Object::as_dict) {
            return Some(resources);
        }
        node = node
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_dictionary(id))
            .ok()?;
    }
    None
}

/// Image XObjects named directly in the resources, by object id.
fn image_xobjects<'a>(
    doc: &'a Document,
    resources: &'a Dictionary,
) -> Vec<(ObjectId, &'a Dictionary)> {
    let Ok(xobjects) = resources
        .get_deref(b"XObject", doc)
        .and_then(Object::as_dict)
    else {
        return Vec::new();
    };
    xobjects
        .iter()
        .filter_map(|(_, value)| {
            let id = value.as_reference().ok()?;
            let stream = doc.get_object(id).and_then(Object::as_stream).ok()?;
            let is_image =
                stream.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image");
            let is_mask = stream
                .dict
                .get(b"ImageMask")
                .and_then(Object::as_bool)
                .unwrap_or(false);
            (is_image && !is_mask).then_some((id, &stream.dict))
        })
        .collect()
}

fn dim(dict: &Dictionary, key: &[u8]) -> u64 {
    dict.get(key)
        .and_then(Object::as_i64)
        .ok()
        .and_then(|v| u64::try_from(v).ok())
        .unwrap_or(0)
}

fn decode_image_xobject(
    doc: &Document,
    id: ObjectId,
    page: u32,
    limits: &Limits,
) -> Result<DynamicImage, DecodeError> {
    let stream = doc
        .get_object(id)
        .and_then(Object::as_stream)
        .map_err(|e| corrupt(Some(page), e.to_string()))?;
    let dict = &stream.dict;
    let width = u32::try_from(dim(dict, b"Width")).unwrap_or(u32::MAX);
    let height = u32::try_from(dim(dict, b"Height")).unwrap_or(u32::MAX);
    limits.check_image(page, width, height)?;

    let filters = filter_names(dict);
    let invert = decode_array_inverts(dict);
    let image = match filters.as_slice() {
        [f] if f == b"DCTDecode" => {
            let image = raster::decode_jpeg_bytes(&stream.content, page, limits)?;
            if invert {
                let mut image = image;
                image.invert();
                image
            } else {
                image
            }
        }
        [] | [_] if filters.iter().all(|f| f == b"FlateDecode") => {
            let space = ColorSpace::of(doc, dict, page)?;
            let bpc = dim(dict, b"BitsPerComponent");
            let bpc = u8::try_from(bpc)
                .ok()
                .filter(|b| *b == 1 || *b == 8)
                .ok_or_else(|| DecodeError::Unsupported {
                    page,
                    what: format!("{bpc} bits per component"),
                })?;
            let row_bytes = (width as usize * space.components() * bpc as usize).div_ceil(8);
            let expected = row_bytes * height as usize;
            let predictor = predictor(doc, dict);
            let data = if filters.is_empty() {
                stream.content.clone()
            } else {
                // PNG predictors add one tag byte per row.
                let inflated_len = if predictor >= 10 {
                    expected + height as usize
                } else {
                    expected
                };
                inflate_bounded(&stream.content, inflated_len, page)?
            };
            let data = if predictor >= 10 {
                let bpp = (space.components() * bpc as usize).div_ceil(8);
                undo_png_predictor(&data, row_bytes, bpp)
                    .ok_or_else(|| corrupt(Some(page), "bad PNG predictor data".to_string()))?
            } else {
                data
            };
            samples_to_image(&data, width, height, bpc, &space, invert).ok_or_else(|| {
                corrupt(Some(page), "image data shorter than its size".to_string())
            })?
        }
        _ => {
            let names: Vec<String> = filters
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            return Err(DecodeError::Unsupported {
                page,
                what: names.join("+"),
            });
        }
    };
    Ok(image)
}

fn filter_names(dict: &Dictionary) -> Vec<Vec<u8>> {
    match dict.get(b"Filter") {
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(items)) => items
            .iter()
            .filter_map(|o| o.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    }
}

/// `/Decode [1 0]` (or `[1 0 1 0 1 0]`): samples are stored inverted.
fn decode_array_inverts(dict: &Dictionary) -> bool {
    dict.get(b"Decode")
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| a.first())
        .and_then(|o| o.as_float().ok())
        .is_some_and(|first| first > 0.5)
}

fn predictor(doc: &Document, dict: &Dictionary) -> i64 {
    let parms = match dict.get(b"DecodeParms") {
        Ok(Object::Array(items)) => items.first(),
        Ok(other) => Some(other),
        Err(_) => None,
    };
    parms
        .and_then(|p| doc.dereference(p).ok())
        .and_then(|(_, p)| p.as_dict().ok())
        .and_then(|p| p.get(b"Predictor").and_then(Object::as_i64).ok())
        .unwrap_or(1)
}

/// Inflates at most `expected` bytes (one more is read to tell a bomb from an exact fit).
fn inflate_bounded(data: &[u8], expected: usize, page: u32) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::with_capacity(expected);
    let mut reader = flate2::read::ZlibDecoder::new(data).take(expected as u64 + 1);
    if let Err(e) = reader.read_to_end(&mut out) {
        // A stream cut short still gives what was inflated so far; keep it only if it is whole.
        if out.len() < expected {
            return Err(corrupt(Some(page), format!("FlateDecode: {e}")));
        }
    }
    if out.len() > expected {
        // More data than the declared image holds: either junk or a bomb; stop here either way.
        out.truncate(expected);
    }
    Ok(out)
}

fn undo_png_predictor(data: &[u8], row_bytes: usize, bpp: usize) -> Option<Vec<u8>> {
    let rows = data.len() / (row_bytes + 1);
    let mut out = vec![0u8; rows * row_bytes];
    for r in 0..rows {
        let src = &data[r * (row_bytes + 1)..(r + 1) * (row_bytes + 1)];
        let (tag, src) = (src[0], &src[1..]);
        let (done, rest) = out.split_at_mut(r * row_bytes);
        let prev = if r == 0 {
            None
        } else {
            Some(&done[(r - 1) * row_bytes..])
        };
        let cur = &mut rest[..row_bytes];
        for i in 0..row_bytes {
            let a = if i >= bpp { cur[i - bpp] } else { 0 };
            let b = prev.map_or(0, |p| p[i]);
            let c = if i >= bpp {
                prev.map_or(0, |p| p[i - bpp])
            } else {
                0
            };
            let x = src[i];
            cur[i] = match tag {
                0 => x,
                1 => x.wrapping_add(a),
                2 => x.wrapping_add(b),
                3 => x.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                4 => x.wrapping_add(paeth(a, b, c)),
                _ => return None,
            };
        }
    }
    Some(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// The colour spaces a scanner writes.
enum ColorSpace {
    Gray,
    Rgb,
    /// A palette of RGB entries (`/Indexed /DeviceRGB hival lookup`); gray palettes are expanded to RGB.
    Indexed(Vec<[u8; 3]>),
}

impl ColorSpace {
    fn components(&self) -> usize {
        match self {
            ColorSpace::Gray | ColorSpace::Indexed(_) => 1,
            ColorSpace::Rgb => 3,
        }
    }

    fn of(doc: &Document, dict: &Dictionary, page: u32) -> Result<ColorSpace, DecodeError> {
        let unsupported = |what: String| DecodeError::Unsupported { page, what };
        let space = dict
            .get(b"ColorSpace")
            .ok()
            .and_then(|o| doc.dereference(o).ok())
            .map(|(_, o)| o);
        match space {
            // No colour space: an image mask (filtered out earlier) or a broken file; gray is the
            // useful guess for a scan.
            None => Ok(ColorSpace::Gray),
            Some(Object::Name(name)) => Self::named(name)
                .ok_or_else(|| unsupported(String::from_utf8_lossy(name).into_owned())),
            Some(Object::Array(items)) => {
                let family = items.first().and_then(|o| o.as_name().ok()).unwrap_or(b"");
                match family {
                    b"ICCBased" => {
                        let n = items
                            .get(1)
                            .and_then(|o| o.as_reference().ok())
                            .and_then(|id| doc.get_object(id).and_then(Object::as_stream).ok())
                            .and_then(|s| s.dict.get(b"N").and_then(Object::as_i64).ok());
                        match n {
                            Some(1) => Ok(ColorSpace::Gray),
                            Some(3) => Ok(ColorSpace::Rgb),
                            other => Err(unsupported(format!("ICCBased N={other:?}"))),
                        }
                    }
                    b"CalGray" => Ok(ColorSpace::Gray),
                    b"CalRGB" => Ok(ColorSpace::Rgb),
                    b"Indexed" => {
                        Self::indexed(doc, items).ok_or_else(|| unsupported("Indexed".to_string()))
                    }
                    other => Err(unsupported(String::from_utf8_lossy(other).into_owned())),
                }
            }
            Some(_) => Err(unsupported("ColorSpace".to_string())),
        }
    }

    fn named(name: &[u8]) -> Option<ColorSpace> {
        match name {
            b"DeviceGray" | b"CalGray" | b"G" => Some(ColorSpace::Gray),
            b"DeviceRGB" | b"CalRGB" | b"RGB" => Some(ColorSpace::Rgb),
            _ => None,
        }
    }

    fn indexed(doc: &Document, items: &[Object]) -> Option<ColorSpace> {
        let base = items
            .get(1)
            .and_then(|o| doc.dereference(o).ok())
            .map(|(_, o)| o)?;
        let base_components = match base {
            Object::Name(n) => Self::named(n)?.components(),
            _ => return None,
        };
        let hival = usize::try_from(items.get(2)?.as_i64().ok()?).ok()?.min(255);
        let lookup: Vec<u8> = match doc.dereference(items.get(3)?).ok()?.1 {
            Object::String(bytes, _) => bytes.clone(),
            Object::Stream(s) => s.decompressed_content_with_limit(768).ok()?,
            _ => return None,
        };
        let palette = (0..=hival)
            .map(|i| {
                let at = i * base_components;
                match base_components {
                    1 => lookup.get(at).map(|&g| [g, g, g]),
                    _ => lookup.get(at..at + 3).map(|c| [c[0], c[1], c[2]]),
                }
            })
            .collect::<Option<Vec<_>>>()?;
        Some(ColorSpace::Indexed(palette))
    }
}

/// Expands packed samples to one byte per sample (1-bit: 0 → 0, 1 → 255), row by row.
pub(super) fn unpack_bits(
    data: &[u8],
    width: u32,
    height: u32,
    components: usize,
    invert: bool,
) -> Option<Vec<u8>> {
    let samples_per_row = width as usize * components;
    let row_bytes = samples_per_row.div_ceil(8);
    if data.len() < row_bytes * height as usize {
        return None;
    }
    let mut out = Vec::with_capacity(samples_per_row * height as usize);
    for row in data.chunks_exact(row_bytes).take(height as usize) {
        for i in 0..samples_per_row {
            let bit = (row[i / 8] >> (7 - (i % 8))) & 1;
            out.push(if (bit == 1) != invert { 255 } else { 0 });
        }
    }
    Some(out)
}

fn samples_to_image(
    data: &[u8],
    width: u32,
    height: u32,
    bpc: u8,
    space: &ColorSpace,
    invert: bool,
) -> Option<DynamicImage> {
    let components = space.components();
    let samples: Vec<u8> = if bpc == 1 {
        match space {
            ColorSpace::Indexed(_) => unpack_bits(data, width, height, components, false)?
                .into_iter()
                .map(|v| u8::from(v > 0))
                .collect(),
            _ => unpack_bits(data, width, height, components, invert)?,
        }
    } else {
        let len = width as usize * height as usize * components;
        let mut s = data.get(..len)?.to_vec();
        if invert && !matches!(space, ColorSpace::Indexed(_)) {
            s.iter_mut().for_each(|v| *v = 255 - *v);
        }
        s
    };
    match space {
        ColorSpace::Gray => {
            image::GrayImage::from_raw(width, height, samples).map(DynamicImage::ImageLuma8)
        }
        ColorSpace::Rgb => {
            image::RgbImage::from_raw(width, height, samples).map(DynamicImage::ImageRgb8)
        }
        ColorSpace::Indexed(palette) => {
            let rgb: Vec<u8> = samples
                .iter()
                .flat_map(|&i| palette.get(i as usize).copied().unwrap_or([0, 0, 0]))
                .collect();
            image::RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
        }
    }
}
