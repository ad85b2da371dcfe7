//! Which price catalog prices the plan: the one built into the app, or a catalog file the user
//! loaded (what `scaling-plan catalog import --out FILE` writes, the format of
//! data/catalog.json). Pure: the app reads the file and keeps the text; this module checks it
//! and says, in words, which catalog is in use.

use super::catalog::CatalogError;
use super::{Catalog, Scenario};

/// Larger files are refused before parsing (an import of every region is well under this).
pub const MAX_CATALOG_BYTES: usize = 20 * 1024 * 1024;

/// Where the catalog in use comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogOrigin {
    BuiltIn,
    /// A file the user loaded, by its name (control characters removed, at most 80 characters).
    File(String),
}

/// The catalog in use, as the page describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogInUse {
    pub origin: CatalogOrigin,
    /// The newest Price List publication date among the regional prices (its date part), or
    /// the catalog's own `as_of` when it lists none.
    pub as_of: String,
    pub regions: usize,
    /// Regions with at least one price from the AWS Price List (`Region.listed`).
    pub listed_regions: usize,
}

impl CatalogInUse {
    pub fn of(origin: CatalogOrigin, c: &Catalog) -> CatalogInUse {
        let newest = c
            .regions
            .values()
            .flat_map(|r| r.listed.values())
            .map(|p| p.published.chars().take(10).collect::<String>())
            .filter(|d| !d.is_empty())
            .max();
        CatalogInUse {
            origin,
            as_of: newest.unwrap_or_else(|| c.as_of.clone()),
            regions: c.regions.len(),
            listed_regions: c.regions.values().filter(|r| !r.listed.is_empty()).count(),
        }
    }

    pub fn built_in(c: &Catalog) -> CatalogInUse {
        CatalogInUse::of(CatalogOrigin::BuiltIn, c)
    }

    pub fn is_built_in(&self) -> bool {
        self.origin == CatalogOrigin::BuiltIn
    }

    /// One line for the page, e.g. "Prices: built-in catalog, 2026-11-28" or "Prices:
    /// catalog.json loaded from file, as of 2026-11-20, 5 regions (3 from the AWS Price List)".
    pub fn describe(&self) -> String {
        match &self.origin {
            CatalogOrigin::BuiltIn => format!("Prices: built-in catalog, {}", self.as_of),
            CatalogOrigin::File(name) => {
                let listed = if self.listed_regions > 0 {
                    format!(" ({} from the AWS Price List)", self.listed_regions)
                } else {
                    String::new()
                };
                format!(
                    "Prices: {name} loaded from file, as of {}, {} region{}{listed}",
                    self.as_of,
                    self.regions,
                    if self.regions == 1 { "" } else { "s" }
                )
            }
        }
    }

    /// What a share link carries and what it does not: the recipient's own catalog prices it.
    pub fn share_note(&self) -> String {
        match &self.origin {
            CatalogOrigin::BuiltIn => "The link carries the scenario and its price overrides, not \
                the catalog: the recipient prices it with the catalog their planner uses (yours is \
                the built-in one)."
                .into(),
            CatalogOrigin::File(name) => format!(
                "The link carries the scenario and its price overrides, not the catalog: the \
                    recipient prices it with the catalog their planner uses, not your {name}. Send \
                    the file too if they should see the same prices."
            ),
        }
    }
}

/// A file name made safe to show: no control characters, at most 80 characters.
pub fn display_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).take(80).collect();
    if clean.trim().is_empty() {
        "catalog file".into()
    } else {
        clean
    }
}

/// Why a catalog file was refused; each names the file.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogFileError {
    TooLarge {
        name: String,
        bytes: usize,
    },
    Empty {
        name: String,
    },
    NotACatalog {
        name: String,
        error: CatalogError,
    },
    /// The scenario in use names something the catalog lacks: the field and the validator's words.
    DoesNotFit {
        name: String,
        field: String,
        message: String,
    },
}

impl std::fmt::Display for CatalogFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CatalogFileError::TooLarge { name, bytes } => write!(
                f,
                "{name} is {:.1} MB; a catalog file is at most {} MB",
                *bytes as f64 / 1e6,
                MAX_CATALOG_BYTES / 1024 / 1024
            ),
            CatalogFileError::Empty { name } => write!(f, "{name} is empty"),
            CatalogFileError::NotACatalog { name, error } => {
                write!(f, "{name} is not a planner catalog: {error}")
            }
            CatalogFileError::DoesNotFit { name, field, message } => {
                write!(f, "{name} does not fit the current scenario ({field}: {message})")
            }
        }
    }
}

impl std::error::Error for CatalogFileError {}

/// Reads a catalog file: the catalog and how to describe it, or why not (naming the file).
pub fn read_catalog_file(
    name: &str,
    text: &str,
) -> Result<(Catalog, CatalogInUse), CatalogFileError> {
    let name = display_name(name);
    if text.len() > MAX_CATALOG_BYTES {
        return Err(CatalogFileError::TooLarge { name, bytes: text.len() });
    }
    if text.trim().is_empty() {
        return Err(CatalogFileError::Empty { name });
    }
    let catalog = match Catalog::from_json(text) {
        Ok(c) => c,
        Err(error) => return Err(CatalogFileError::NotACatalog { name, error }),
    };
    let info = CatalogInUse::of(CatalogOrigin::File(name), &catalog);
    Ok((catalog, info))
}

/// Reads a catalog file for the scenario in use: the catalog and how to describe it, or why
/// not (the caller keeps the catalog it has). A catalog the current scenario does not fit (its
/// region, database class or cache node are missing) is refused too, so loading never breaks
/// the plan on screen.
pub fn load_catalog_file(
    name: &str,
    text: &str,
    current: &Scenario,
) -> Result<(Catalog, CatalogInUse), CatalogFileError> {
    let (catalog, info) = read_catalog_file(name, text)?;
    if let Some(e) = current.validate(&catalog).into_iter().next() {
        let (field, message) = (e.field, e.message);
        return Err(CatalogFileError::DoesNotFit { name: display_name(name), field, message });
    }
    Ok((catalog, info))
}
