//! Streaming CSV: a file is decoded (strictly, `encoding_rs`) and parsed (`csv-core`,
//! the `csv` crate's parser: RFC 4180 quoting, `""` escapes, CRLF or LF) one buffer
//! at a time, so memory is bounded by the largest record, never by the file. A field
//! longer than [`MAX_FIELD_BYTES`] or a record longer than [`MAX_RECORD_BYTES`] stops
//! the source before it is held, with an error naming the file, the record and the
//! field.
//!
//! Line numbers: a record's line is the file line of its first character (blank
//! lines before it skipped, as the `csv` crate skips them), counting every `\n`
//! before it, those inside quoted fields included.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use encoding_rs::{DecoderResult, Encoding};

use crate::error::SurveyError;

/// Largest CSV field or vector text value, in bytes (16 MiB): far above any survey
/// attribute (a long remark is a few KiB), low enough that a broken file with one
/// gigabyte-long field is refused before it is held in memory.
pub const MAX_FIELD_BYTES: usize = 16 << 20;
/// Largest CSV record, in bytes of its decoded fields (64 MiB).
pub const MAX_RECORD_BYTES: usize = 64 << 20;
/// Most records one source may hold (20 million): an ingest keeps a 16-byte digest
/// of every record's key (duplicate detection) and, on a re-load, of every stored
/// record, ≈ 40 bytes each with the table's growth — under 1 GB at this bound.
pub const MAX_SOURCE_RECORDS: u64 = 20_000_000;
/// Most fields in one CSV record.
pub const MAX_FIELDS: usize = 100_000;

/// Bytes read from the file at a time.
const READ_BYTES: usize = 1 << 16;

/// The UTF-8 byte-order mark, skipped at the start of a file whatever its encoding.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The first place a file does not decode: its line (1-based) and where the line
/// starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadLine {
    line: u64,
    start: u64,
}

/// One pass over `path`: its SHA-256 (hex, of every byte) and, for each encoding of
/// `encs`, `None` when the whole file (after a UTF-8 BOM) decodes strictly, else the
/// first line that does not.
pub(crate) fn scan(
    path: &Path,
    encs: &[&'static Encoding],
) -> Result<(String, Vec<Option<BadLine>>), SurveyError> {
    use sha2::{Digest, Sha256};
    let mut f = File::open(path).map_err(SurveyError::fs(path))?;
    let mut h = Sha256::new();
    let mut decs: Vec<_> = encs
        .iter()
        .map(|e| e.new_decoder_without_bom_handling())
        .collect();
    let mut bad: Vec<Option<BadLine>> = vec![None; encs.len()];
    let mut raw = vec![0u8; READ_BYTES];
    let mut scratch = Vec::new();
    let (mut offset, mut newlines, mut line_start) = (0u64, 0u64, 0u64);
    let mut first = true;
    loop {
        let n = read_full(&mut f, &mut raw).map_err(SurveyError::fs(path))?;
        h.update(&raw[..n]);
        let mut chunk = &raw[..n];
        let mut chunk_at = offset;
        if first {
            first = false;
            if let Some(rest) = chunk.strip_prefix(BOM) {
                chunk = rest;
                chunk_at += BOM.len() as u64;
            }
        }
        let last = n == 0;
        for (d, b) in decs.iter_mut().zip(bad.iter_mut()) {
            if b.is_some() {
                continue;
            }
            let cap = d
                .max_utf8_buffer_length_without_replacement(chunk.len())
                .unwrap_or(chunk.len() * 3 + 16);
            scratch.resize(cap, 0);
            let (res, read, _) = d.decode_to_utf8_without_replacement(chunk, &mut scratch, last);
            if let DecoderResult::Malformed(len, extra) = res {
                // `read` counts the malformed sequence and `extra` bytes after it.
                let upto = &chunk[..read.saturating_sub(len as usize + extra as usize)];
                let nl = upto.iter().filter(|&&c| c == b'\n').count() as u64;
                let start = match upto.iter().rposition(|&c| c == b'\n') {
                    Some(i) => chunk_at + i as u64 + 1,
                    None => line_start,
                };
                *b = Some(BadLine {
                    line: newlines + nl + 1,
                    start,
                });
            }
        }
        if let Some(i) = chunk.iter().rposition(|&c| c == b'\n') {
            line_start = chunk_at + i as u64 + 1;
        }
        newlines += chunk.iter().filter(|&&c| c == b'\n').count() as u64;
        offset += n as u64;
        if last {
            break;
        }
    }
    Ok((hex::encode(h.finalize()), bad))
}

/// `line N: "<first 80 bytes of the line>"`, for an encoding error.
pub(crate) fn describe_bad_line(path: &Path, bad: BadLine) -> String {
    let mut head = Vec::new();
    if let Ok(mut f) = File::open(path) {
        if f.seek(SeekFrom::Start(bad.start)).is_ok() {
            let mut buf = [0u8; 80];
            if let Ok(n) = read_full(&mut f, &mut buf) {
                head.extend_from_slice(&buf[..n]);
            }
        }
    }
    if let Some(i) = head.iter().position(|&c| c == b'\n') {
        head.truncate(i);
    }
    format!("line {}: {:?}", bad.line, String::from_utf8_lossy(&head))
}

/// Read until `buf` is full or the file ends; the bytes read.
fn read_full(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A CSV file read record by record.
pub(crate) struct CsvStream {
    path: PathBuf,
    enc: &'static Encoding,
    file: File,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    /// Decoded UTF-8; `buf[pos..]` is not parsed yet.
    buf: Vec<u8>,
    pos: usize,
    first: bool,
    input_done: bool,
    parser: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    nfields: usize,
    /// `\n` parsed so far.
    newlines: u64,
    /// Records read, the header included.
    records: u64,
    /// Column names, for errors naming a field (empty while reading the header).
    names: Vec<String>,
}

impl CsvStream {
    /// Open `path` to decode it as `enc` (a UTF-8 BOM is skipped).
    pub(crate) fn open(path: &Path, enc: &'static Encoding) -> Result<Self, SurveyError> {
        Ok(Self {
            path: path.to_path_buf(),
            enc,
            file: File::open(path).map_err(SurveyError::fs(path))?,
            decoder: enc.new_decoder_without_bom_handling(),
            raw: vec![0; READ_BYTES],
            buf: Vec::new(),
            pos: 0,
            first: true,
            input_done: false,
            parser: csv_core::Reader::new(),
            out: vec![0; 1024],
            ends: vec![0; 64],
            nfields: 0,
            newlines: 0,
            records: 0,
            names: Vec::new(),
        })
    }

    /// Name the columns (the header), for errors about a field.
    pub(crate) fn set_names(&mut self, names: Vec<String>) {
        self.names = names;
    }

    /// Decode the next buffer of the file into `buf`.
    fn refill(&mut self) -> Result<(), SurveyError> {
        self.buf.drain(..self.pos);
        self.pos = 0;
        let n = read_full(&mut self.file, &mut self.raw).map_err(SurveyError::fs(&self.path))?;
        let mut chunk = &self.raw[..n];
        if self.first {
            self.first = false;
            chunk = chunk.strip_prefix(BOM).unwrap_or(chunk);
        }
        let last = n == 0;
        let old = self.buf.len();
        let cap = self
            .decoder
            .max_utf8_buffer_length_without_replacement(chunk.len())
            .unwrap_or(chunk.len() * 3 + 16);
        self.buf.resize(old + cap, 0);
        let (res, _, written) =
            self.decoder
                .decode_to_utf8_without_replacement(chunk, &mut self.buf[old..], last);
        self.buf.truncate(old + written);
        if let DecoderResult::Malformed(..) = res {
            // The file decoded when it was opened: it changed since.
            return Err(SurveyError::Encoding {
                path: self.path.clone(),
                encoding: self.enc.name().into(),
                detail: format!(
                    "near line {}: the file changed while it was read",
                    self.newlines + 1
                ),
            });
        }
        self.input_done = last;
        Ok(())
    }

    /// Where the record being read sits, for errors: the header or data row `n`.
    fn record_name(&self, line: u64) -> String {
        match self.records {
            0 => format!("the header (line {line})"),
            n => format!("row {n} (line {line})"),
        }
    }

    /// The error for field `i` of the record at `line` above [`MAX_FIELD_BYTES`].
    fn field_too_large(&self, line: u64, i: usize) -> SurveyError {
        let field = self
            .names
            .get(i)
            .map(|n| format!("field {n:?} (column {})", i + 1))
            .unwrap_or_else(|| format!("column {}", i + 1));
        SurveyError::TooLarge {
            path: self.path.clone(),
            what: format!(
                "{}, {field}: the value is longer than {MAX_FIELD_BYTES} bytes (16 MiB), the largest field a source may hold",
                self.record_name(line),
            ),
        }
    }

    /// Read the next record; its line, or `None` at the end of the file.
    pub(crate) fn next_record(&mut self) -> Result<Option<u64>, SurveyError> {
        // Line ends before the record (blank lines) are skipped.
        loop {
            while self.pos < self.buf.len() && matches!(self.buf[self.pos], b'\r' | b'\n') {
                if self.buf[self.pos] == b'\n' {
                    self.newlines += 1;
                }
                self.pos += 1;
            }
            if self.pos < self.buf.len() || self.input_done {
                break;
            }
            self.refill()?;
        }
        let line = self.newlines + 1;
        let (mut outlen, mut nend) = (0usize, 0usize);
        loop {
            let input = &self.buf[self.pos..];
            let (res, nin, nout, ne) =
                self.parser
                    .read_record(input, &mut self.out[outlen..], &mut self.ends[nend..]);
            self.newlines += input[..nin].iter().filter(|&&c| c == b'\n').count() as u64;
            self.pos += nin;
            outlen += nout;
            nend += ne;
            use csv_core::ReadRecordResult as R;
            match res {
                R::InputEmpty => {
                    if !self.input_done {
                        self.refill()?;
                    }
                }
                R::OutputFull => {
                    let start = if nend == 0 { 0 } else { self.ends[nend - 1] };
                    if outlen - start > MAX_FIELD_BYTES {
                        return Err(self.field_too_large(line, nend));
                    }
                    if outlen > MAX_RECORD_BYTES {
                        return Err(SurveyError::TooLarge {
                            path: self.path.clone(),
                            what: format!(
                                "{}: the record is longer than {} bytes (64 MiB), the largest record a source may hold",
                                self.record_name(line),
                                MAX_RECORD_BYTES
                            ),
                        });
                    }
                    let grown = (self.out.len() * 2).min(MAX_RECORD_BYTES + 1);
                    self.out.resize(grown.max(outlen + 1), 0);
                }
                R::OutputEndsFull => {
                    if nend >= MAX_FIELDS {
                        return Err(SurveyError::TooLarge {
                            path: self.path.clone(),
                            what: format!(
                                "{}: more than {MAX_FIELDS} fields in one record",
                                self.record_name(line)
                            ),
                        });
                    }
                    let grown = (self.ends.len() * 2).min(MAX_FIELDS + 1);
                    self.ends.resize(grown, 0);
                }
                R::Record => {
                    for i in 0..nend {
                        let start = if i == 0 { 0 } else { self.ends[i - 1] };
                        if self.ends[i] - start > MAX_FIELD_BYTES {
                            return Err(self.field_too_large(line, i));
                        }
                    }
                    self.nfields = nend;
                    self.records += 1;
                    return Ok(Some(line));
                }
                R::End => return Ok(None),
            }
        }
    }

    /// Number of fields of the record read last.
    pub(crate) fn len(&self) -> usize {
        self.nfields
    }

    /// Field `i` of the record read last.
    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        if i >= self.nfields {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        // Fields of a decoded (UTF-8) stream split at ASCII delimiters are UTF-8.
        std::str::from_utf8(&self.out[start..self.ends[i]]).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(text: &[u8], enc: &'static Encoding) -> Vec<(u64, Vec<String>)> {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.csv");
        std::fs::write(&p, text).unwrap();
        let mut s = CsvStream::open(&p, enc).unwrap();
        let mut out = Vec::new();
        while let Some(line) = s.next_record().unwrap() {
            out.push((
                line,
                (0..s.len())
                    .map(|i| s.get(i).unwrap().to_string())
                    .collect(),
            ));
        }
        out
    }

    #[test]
    fn quoting_lines_and_boms_as_the_csv_crate() {
        let text = b"\xEF\xBB\xBFid,name\r\n1,\"a,\"\"b\"\"\r\nc\"\r\n\r\n2,x\n\n3,\n";
        let got = records(text, encoding_rs::UTF_8);
        assert_eq!(
            got,
            vec![
                (1, vec!["id".to_string(), "name".into()]),
                (2, vec!["1".into(), "a,\"b\"\r\nc".into()]),
                (5, vec!["2".into(), "x".into()]),
                (7, vec!["3".into(), "".into()]),
            ]
        );
        // The same rows as the csv crate gives.
        let mut r = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .from_reader(&text[3..]);
        let theirs: Vec<Vec<String>> = r
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(theirs, got.into_iter().map(|(_, f)| f).collect::<Vec<_>>());
    }

    #[test]
    fn gbk_across_buffers() {
        // 房屋 in GBK, many times, so sequences straddle read buffers.
        let mut text = b"id,name\n".to_vec();
        for i in 0..20_000 {
            text.extend_from_slice(format!("{i},").as_bytes());
            text.extend_from_slice(b"\xB7\xBF\xCE\xDD\n");
        }
        let got = records(&text, encoding_rs::GBK);
        assert_eq!(got.len(), 20_001);
        assert!(got[1..].iter().all(|(_, f)| f[1] == "房屋"));
        assert_eq!(got[20_000].0, 20_001);
    }

    #[test]
    fn a_field_above_the_cap_is_refused_naming_record_and_field() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("big.csv");
        let mut text = b"id,remark\n1,short\n2,\"".to_vec();
        text.resize(text.len() + MAX_FIELD_BYTES + 10, b'x');
        text.extend_from_slice(b"\"\n");
        std::fs::write(&p, &text).unwrap();
        let mut s = CsvStream::open(&p, encoding_rs::UTF_8).unwrap();
        s.next_record().unwrap();
        s.set_names(vec!["id".into(), "remark".into()]);
        s.next_record().unwrap();
        let e = s.next_record().unwrap_err().to_string();
        assert!(
            e.contains("big.csv")
                && e.contains("row 2 (line 3)")
                && e.contains("field \"remark\" (column 2)")
                && e.contains("16777216 bytes"),
            "{e}"
        );
        // Memory stayed near the cap (the record buffer grows by doubling).
        assert!(s.out.len() <= 2 * MAX_FIELD_BYTES + 1, "{}", s.out.len());
    }

    #[test]
    fn scan_finds_the_first_bad_line() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.csv");
        std::fs::write(&p, b"id,name\n1,ok\n2,\xFF\xFEbad\n").unwrap();
        let (sha, bad) = scan(&p, &[encoding_rs::UTF_8, encoding_rs::GBK]).unwrap();
        assert_eq!(sha.len(), 64);
        let b = bad[0].expect("not UTF-8");
        assert_eq!(b.line, 3);
        assert_eq!(
            describe_bad_line(&p, b),
            "line 3: \"2,\u{fffd}\u{fffd}bad\""
        );
    }
}
