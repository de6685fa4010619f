//! ocr (placeholder while decode is written)
