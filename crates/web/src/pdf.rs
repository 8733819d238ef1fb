//! Print-ready HTML to PDF, through a headless Chromium where one is installed. Hearth draws
//! its own pages; Chromium only prints them, as a person would from the browser's print dialog.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(
        "making a PDF needs Chromium, which was not found here (looked for {looked}). Install it \
         (on Debian: apt-get install chromium) or set HEARTH_CHROMIUM to its path. The HTML \
         version prints to PDF from any browser's print dialog."
    )]
    NoChromium { looked: String },
    #[error("Chromium could not make the PDF: {0}")]
    Failed(String),
}

/// The browsers tried, in order, after HEARTH_CHROMIUM.
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// Where Chromium is: HEARTH_CHROMIUM if set, else the first of the usual names on the PATH.
pub fn chromium() -> Result<PathBuf, PdfError> {
    if let Some(p) = std::env::var_os("HEARTH_CHROMIUM") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(PdfError::NoChromium {
                looked: format!("HEARTH_CHROMIUM={}", p.display()),
            })
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in CANDIDATES {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(PdfError::NoChromium {
        looked: format!(
            "HEARTH_CHROMIUM, then {} on the PATH",
            CANDIDATES.join(", ")
        ),
    })
}

/// How long Chromium is given to print a pack.
const PATIENCE: Duration = Duration::from_secs(90);

/// Prints a self-contained HTML document to PDF.
pub fn html_to_pdf(html: &str) -> Result<Vec<u8>, PdfError> {
    let browser = chromium()?;
    let failed = |e: std::io::Error| PdfError::Failed(e.to_string());
    let dir = tempfile::tempdir().map_err(failed)?;
    let page = dir.path().join("page.html");
    let pdf = dir.path().join("page.pdf");
    std::fs::write(&page, html).map_err(failed)?;
    // Chromium's complaints go to a file, not a pipe that could fill while it works.
    let said = dir.path().join("chromium.log");
    let log = std::fs::File::create(&said).map_err(failed)?;
    let mut child = Command::new(&browser)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(failed)?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(failed)? {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            return Err(PdfError::Failed(format!(
                "{} did not finish within {} seconds",
                browser.display(),
                PATIENCE.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF") {
        let said = std::fs::read_to_string(&said).unwrap_or_default();
        let said: String = said.lines().rev().take(3).collect::<Vec<_>>().join(" / ");
        return Err(PdfError::Failed(format!(
            "{} ended with {status} and wrote no PDF. {said}",
            browser.display()
        )));
    }
    Ok(bytes)
}
