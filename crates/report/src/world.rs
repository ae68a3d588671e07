//! typst's world for one report: the template, the content as `data.json`, and the fonts
//! compiled into cncl. Nothing is read from disk or the network, and there is no today.

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::ReportError;

/// The layout, in typst's markup: it reads every word and figure from `data.json`.
const TEMPLATE: &str = include_str!("report.typ");

/// Liberation Serif (SIL Open Font License, `fonts/LICENSE`): Times New Roman's metrics, as
/// Decree 30 asks, and every Vietnamese letter.
const FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    include_bytes!("../fonts/LiberationSerif-Bold.ttf"),
    include_bytes!("../fonts/LiberationSerif-Italic.ttf"),
    include_bytes!("../fonts/LiberationSerif-BoldItalic.ttf"),
];

pub(crate) struct ReportWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    data_id: FileId,
    data: Bytes,
}

fn file_id(path: &str) -> Result<FileId, ReportError> {
    let path = VirtualPath::new(path).map_err(|e| ReportError::Layout(format!("{path}: {e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

impl ReportWorld {
    pub(crate) fn new(data: &serde_json::Value) -> Result<Self, ReportError> {
        let fonts: Vec<Font> = FONTS.iter().flat_map(|bytes| Font::iter(Bytes::new(*bytes))).collect();
        let main = Source::new(file_id("/main.typ")?, TEMPLATE.to_owned());
        Ok(ReportWorld {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main,
            data_id: file_id("/data.json")?,
            data: Bytes::new(data.to_string().into_bytes()),
        })
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(FileError::NotSource) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(id.get().vpath().get_with_slash().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    /// No today: a report is dated by what it reports on, so that it renders the same later.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
