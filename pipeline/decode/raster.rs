//! Raster files (JPEG, PNG, TIFF) → page images, with the header read and checked before any pixel
//! buffer is allocated. Called by `decode`'s [`super::Pages`], a TIFF's one page at a time; the PDF
//! path also uses [`decode_jpeg_bytes`] for DCTDecode images.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use super::{rfind, DecodeError, Format, Limits, Page, PageContent};

/// A JPEG or PNG file: always one page.
pub(super) fn decode_single(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Page, DecodeError> {
    let image = decode_image(bytes, format, 1, limits)?;
    Ok(Page {
        number: 1,
        content: PageContent::Image(image),
    })
}

/// JPEG bytes embedded in a PDF (DCTDecode) as page `page`.
pub(super) fn decode_jpeg_bytes(
    bytes: &[u8],
    page: u32,
    limits: &Limits,
) -> Result<DynamicImage, DecodeError> {
    decode_image(bytes, Format::Jpeg, page, limits)
}

fn decode_image(
    bytes: &[u8],
    format: Format,
    page: u32,
    limits: &Limits,
) -> Result<DynamicImage, DecodeError> {
    let image_format = match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::Tiff | Format::Pdf => {
            return Err(DecodeError::Corrupt {
                format: Some(format),
                page: Some(page),
                detail: "not a single-image format".to_string(),
            })
        }
    };
    let corrupt = |e: image::ImageError| DecodeError::Corrupt {
        format: Some(format),
        page: Some(page),
        detail: e.to_string(),
    };
    if format == Format::Jpeg && !jpeg_is_complete(bytes) {
        // The JPEG decoder fills a cut-off scan with grey and reports success; a half-grey receipt
        // would then be OCR'd as if it were whole. A complete JPEG has an end-of-image marker after
        // its last start-of-scan.
        return Err(DecodeError::Corrupt {
            format: Some(format),
            page: Some(page),
            detail: "JPEG ends before its end-of-image marker".to_string(),
        });
    }
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_dimensions()
        .map_err(corrupt)?;
    limits.check_image(page, width, height)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(limits.max_dimension);
    image_limits.max_image_height = Some(limits.max_dimension);
    image_limits.max_alloc = Some(limits.max_alloc());
    reader.limits(image_limits);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    // Phones store the camera's orientation in EXIF instead of turning the pixels; OCR needs the
    // page upright, so apply it here. A missing or unreadable tag means "as stored".
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// True when an end-of-image marker (FF D9) follows the last start-of-scan (FF DA).
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    match rfind(bytes, &[0xFF, 0xDA]) {
        Some(sos) => rfind(&bytes[sos..], &[0xFF, 0xD9]).is_some(),
        None => false,
    }
}

/// A TIFF file's pages (IFDs), each decoded when asked for (see [`super::Pages`]).
pub(super) struct TiffPages<'a> {
    decoder: tiff::decoder::Decoder<Cursor<&'a [u8]>>,
    limits: &'a Limits,
    /// The number of the page the next call gives (1-based).
    number: u32,
}

impl<'a> TiffPages<'a> {
    /// Reads the file's header and first IFD; no page is decoded yet. A file with more pages than
    /// the limit is refused here, by its directories alone, as a PDF is by its page tree: page by
    /// page it would be refused only after the limit's worth of pages had been read. A directory
    /// that cannot be read ends the count; the page it belongs to gives its error in turn.
    pub(super) fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<TiffPages<'a>, DecodeError> {
        let mut tiff_limits = tiff::decoder::Limits::default();
        tiff_limits.decoding_buffer_size =
            usize::try_from(limits.max_alloc()).unwrap_or(usize::MAX);
        let decoder = tiff::decoder::Decoder::new(Cursor::new(bytes))
            .map_err(|e| tiff_corrupt(1, e))?
            .with_limits(tiff_limits.clone());
        if let Ok(counter) = tiff::decoder::Decoder::new(Cursor::new(bytes)) {
            let mut counter = counter.with_limits(tiff_limits);
            let mut pages: u32 = 1;
            while counter.more_images() && counter.next_image().is_ok() {
                pages += 1;
                if pages > limits.max_pages {
                    return Err(DecodeError::TooManyPages {
                        pages: u64::from(pages),
                        limit: limits.max_pages,
                    });
                }
            }
        }
        Ok(TiffPages {
            decoder,
            limits,
            number: 1,
        })
    }

    /// The next page, `None` after the last; the caller stops asking after an error.
    pub(super) fn next(&mut self) -> Option<Result<Page, DecodeError>> {
        let number = self.number;
        if number > 1 {
            if !self.decoder.more_images() {
                return None;
            }
            if let Err(e) = self.decoder.next_image() {
                return Some(Err(tiff_corrupt(number, e)));
            }
        }
        self.number += 1;
        Some(self.decode(number))
    }

    /// Decodes the page the decoder is at, as page `number`.
    fn decode(&mut self, number: u32) -> Result<Page, DecodeError> {
        use tiff::decoder::DecodingResult;
        use tiff::ColorType;

        if number > self.limits.max_pages {
            return Err(DecodeError::TooManyPages {
                pages: u64::from(number),
                limit: self.limits.max_pages,
            });
        }
        let decoder = &mut self.decoder;
        let (width, height) = decoder.dimensions().map_err(|e| tiff_corrupt(number, e))?;
        self.limits.check_image(number, width, height)?;
        let color = decoder.colortype().map_err(|e| tiff_corrupt(number, e))?;
        let data = match decoder.read_image().map_err(|e| tiff_corrupt(number, e))? {
            DecodingResult::U8(data) => data,
            DecodingResult::U16(data) => data.into_iter().map(|v| (v >> 8) as u8).collect(),
            _ => {
                return Err(DecodeError::Unsupported {
                    page: number,
                    what: format!("TIFF {color:?}"),
                })
            }
        };
        let bad_size = || DecodeError::Corrupt {
            format: Some(Format::Tiff),
            page: Some(number),
            detail: "pixel data does not match the image size".to_string(),
        };
        let image = match color {
            ColorType::Gray(8) | ColorType::Gray(16) => {
                image::GrayImage::from_raw(width, height, data).map(DynamicImage::ImageLuma8)
            }
            ColorType::Gray(1) => {
                // Bilevel scans (fax, office scanners): packed rows, 0 = black as the decoder
                // normalises PhotometricInterpretation.
                let gray =
                    super::pdf::unpack_bits(&data, width, height, 1, false).ok_or_else(bad_size)?;
                image::GrayImage::from_raw(width, height, gray).map(DynamicImage::ImageLuma8)
            }
            ColorType::RGB(8) | ColorType::RGB(16) => {
                image::RgbImage::from_raw(width, height, data).map(DynamicImage::ImageRgb8)
            }
            ColorType::RGBA(8) | ColorType::RGBA(16) => {
                image::RgbaImage::from_raw(width, height, data).map(DynamicImage::ImageRgba8)
            }
            ColorType::GrayA(8) | ColorType::GrayA(16) => {
                image::GrayAlphaImage::from_raw(width, height, data).map(DynamicImage::ImageLumaA8)
            }
            other => {
                return Err(DecodeError::Unsupported {
                    page: number,
                    what: format!("TIFF {other:?}"),
                })
            }
        }
        .ok_or_else(bad_size)?;
        Ok(Page {
            number,
            content: PageContent::Image(image),
        })
    }
}

fn tiff_corrupt(page: u32, e: tiff::TiffError) -> DecodeError {
    DecodeError::Corrupt {
        format: Some(Format::Tiff),
        page: Some(page),
        detail: e.to_string(),
    }
}
