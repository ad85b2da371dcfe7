//! Turns a plan into files AWS accepts. Filled in by the exports work.
use crate::model::{Catalog, Plan, Scenario};

#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    pub name: &'static str,
    pub content: String,
}

pub fn all_files(_s: &Scenario, _p: &Plan, _c: &Catalog) -> Vec<ExportFile> {
    Vec::new()
}

/// A POSIX tar archive of the files (the "Download all" button).
pub fn tar_archive(files: &[ExportFile]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in files {
        let mut header = [0u8; 512];
        let name = f.name.as_bytes();
        header[..name.len().min(100)].copy_from_slice(&name[..name.len().min(100)]);
        let mode = if f.name.ends_with(".sh") { "0000755\0" } else { "0000644\0" };
        header[100..108].copy_from_slice(mode.as_bytes());
        header[108..116].copy_from_slice(b"0000000\0");
        header[116..124].copy_from_slice(b"0000000\0");
        header[124..136].copy_from_slice(format!("{:011o}\0", f.content.len()).as_bytes());
        header[136..148].copy_from_slice(b"00000000000\0");
        header[156] = b'0';
        header[257..263].copy_from_slice(b"ustar\0");
        header[263..265].copy_from_slice(b"00");
        header[148..156].copy_from_slice(b"        ");
        let sum: u32 = header.iter().map(|&b| b as u32).sum();
        header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
        out.extend_from_slice(&header);
        out.extend_from_slice(f.content.as_bytes());
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}
