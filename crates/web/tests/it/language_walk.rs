//! Every page in both languages, as the office sees it on the demo: no words of the other
//! language, no date written the ISO way, no amount without its separators, no source cited
//! as a seed file.

use cncl_domain::Lang;
use cncl_web::i18n;

use crate::sessions::{Browser, signed_in_admin};
use crate::{TestServer, admin};

/// The fixed words of the pages in `lang` that the other language does not share.
fn words(lang: Lang) -> Vec<&'static str> {
    let both = |f: &dyn Fn(Lang) -> Vec<&'static str>| -> Vec<&'static str> {
        let (mine, theirs) = (f(lang), f(lang.other()));
        mine.into_iter().filter(|w| !theirs.contains(w)).collect()
    };
    let catalogues: [&dyn Fn(Lang) -> Vec<&'static str>; 13] = [
        &|l| i18n::ui(l).all_words(),
        &|l| i18n::nav_ui(l).all_words(),
        &|l| i18n::accounts_ui(l).all_words(),
        &|l| i18n::compliance_ui(l).all_words(),
        &|l| i18n::dashboard_ui(l).all_words(),
        &|l| i18n::evidence_ui(l).all_words(),
        &|l| i18n::exchange_ui(l).all_words(),
        &|l| i18n::failure_ui(l).all_words(),
        &|l| i18n::products_ui(l).all_words(),
        &|l| i18n::reports_ui(l).all_words(),
        &|l| i18n::position_ui(l).all_words(),
        &|l| i18n::documents_ui(l).all_words(),
        &|l| cncl_eval::status::Status::ALL.iter().map(|s| s.label(l)).collect(),
    ];
    // Short words ("Tên", "Name") also occur inside recorded names; whole phrases do not.
    catalogues.iter().flat_map(|c| both(c)).filter(|w| w.chars().count() >= 12).collect()
}

/// The text a reader sees: tags, scripts, styles and attribute values left out.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push('\u{0}');
        let after = &rest[start..];
        // `<code>` holds identifiers (a hash's hex digits may all be digits), not words or
        // amounts.
        let skip_to = ["<script", "<style", "<svg", "<code"].iter().find(|t| after.starts_with(**t)).map(|t| {
            let close = format!("</{}>", &t[1..]);
            after.find(&close).map_or(after.len(), |i| i + close.len())
        });
        let end = skip_to.unwrap_or_else(|| after.find('>').map_or(after.len(), |i| i + 1));
        rest = &after[end..];
    }
    text.push_str(rest);
    text.replace("&#38;", "&").replace("&#39;", "'").replace("&#34;", "\"").replace("&amp;", "&")
}

/// Whether text node `node` is the fixed word `word`, alone or as a label before a value.
fn labels_with(node: &str, word: &str) -> bool {
    node == word || [": ", " (", " —", ":"].iter().any(|after| node.starts_with(&format!("{word}{after}")))
}

/// Dates written YYYY-MM-DD.
fn iso_dates(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(9))
        .filter(|&i| {
            let d = |k: usize| bytes[i + k].is_ascii_digit();
            (i == 0 || !bytes[i - 1].is_ascii_digit())
                && d(0)
                && d(1)
                && d(2)
                && d(3)
                && bytes[i + 4] == b'-'
                && d(5)
                && d(6)
                && bytes[i + 7] == b'-'
                && d(8)
                && d(9)
        })
        .map(|i| text[i..i + 10].to_owned())
        .collect()
}

/// Runs of five or more digits that are amounts written without separators. A word with
/// letters in it is an id, a hash or a code; a tax code (ten or thirteen digits from 0), a
/// decision's number and a standard's (`ISO/IEC 27001`) are identifiers too.
fn bare_amounts(text: &str) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '\u{0}' || c == ':' || c == '(' || c == ')' || c == ';')
        .collect();
    let standard = |i: usize| i > 0 && ["ISO", "IEC", "TCVN", "QCVN"].iter().any(|s| words[i - 1].ends_with(s));
    words
        .iter()
        .enumerate()
        .filter(|&(i, _)| !standard(i))
        .map(|(_, word)| *word)
        .filter(|word| !word.chars().any(char::is_alphabetic) && !word.starts_with('0') && !word.contains('-'))
        .filter(|word| {
            word.split(['.', ',', '/']).any(|part| part.len() >= 5 && part.chars().all(|c| c.is_ascii_digit()))
        })
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn every_page_speaks_one_language_in_its_own_formats() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    s.app.load_demo(&admin()).await.unwrap();
    let task = s.task_id("LLM-05").await;
    let model =
        s.app.list::<cncl_domain::market::ProductModel>(&admin(), &cncl_app::ListQuery::default()).await.unwrap();
    let model = model.items[0].id;
    let organisation =
        s.app.list::<cncl_domain::organisation::Organisation>(&admin(), &cncl_app::ListQuery::default()).await.unwrap();
    let organisation = organisation.items[0].id;
    // Every kind's list, and the page of its first record where the demo has one.
    let mut kinds = Vec::new();
    for kind in cncl_domain::EntityKind::ALL {
        kinds.push(format!("/records/{}", kind.resource()));
        let first = cncl_domain::with_record_type!(kind, T => s
            .app
            .list::<T>(&admin(), &cncl_app::ListQuery::default())
            .await
            .unwrap()
            .items
            .first()
            .map(|r| r.id.to_string()));
        if let Some(id) = first {
            kinds.push(format!("/records/{}/{id}", kind.resource()));
        }
    }
    // A published report, with its figures: its page, and the dashboard a visitor sees.
    let card = s.app.scorecard(&admin(), s.app.today(), None, None).await.unwrap();
    let figures = cncl_app::publication::PublishedFigures::of(&card);
    let report = crate::publish_figures(&s, &figures).await;
    let pages = [
        format!("/reports/{}", report.id),
        format!("/records/product-models/{model}"),
        format!("/records/organisations/{organisation}"),
        format!("/records/tasks/{task}"),
        format!("/product-models/{model}/localisation"),
        "/records/bom-lines".into(),
        "/records/outputs".into(),
        "/records/progress-reports".into(),
        "/records/budget-lines".into(),
        "/".to_owned(),
        "/scorecard".into(),
        "/scorecard/llm/C1a".into(),
        "/scorecard/uav/C2".into(),
        "/scorecard/programme/P9".into(),
        "/products/llm".into(),
        "/products/uav".into(),
        "/tasks".into(),
        format!("/tasks/{task}"),
        "/funding".into(),
        "/governance".into(),
        "/compliance".into(),
        "/reports".into(),
        "/records".into(),
        "/records/tasks".into(),
        "/records/budget-lines/new".into(),
        "/audit".into(),
        "/accounts".into(),
        "/imports".into(),
        "/criteria-sets".into(),
        "/notifications".into(),
        "/products/amr/localisation".into(),
        "/no-such-page".into(),
    ];
    // What a visitor who has not signed in sees.
    let public = ["/".to_owned(), "/scorecard".into(), "/reports".into(), format!("/reports/{}", report.id)];
    let mut visitor = Browser::new(&s);
    let mut faults = Vec::new();
    for lang in [Lang::Vi, Lang::En] {
        for page in pages.iter().chain(&kinds) {
            let join = if page.contains('?') { '&' } else { '?' };
            let (_, html) = office.get(&format!("{page}{join}lang={}", lang.code())).await;
            faults.extend(faults_of(page, lang, &html));
        }
        for page in &public {
            let (_, html) = visitor.get(&format!("{page}?lang={}", lang.code())).await;
            faults.extend(faults_of(&format!("{page}, not signed in"), lang, &html));
        }
    }
    faults.dedup();
    assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), faults.join("\n"));
}

/// What on `page` in `lang` is in the other language or not in the language's formats.
fn faults_of(page: &str, lang: Lang, html: &str) -> Vec<String> {
    let foreign = words(lang.other());
    let text = visible_text(html);
    let mut faults = Vec::new();
    // The fixed words stand alone as labels and headings ("Tình trạng", "Status:"); the same
    // words inside a recorded name or title are the record's own.
    for node in text.split('\u{0}').map(str::trim).filter(|n| !n.is_empty()) {
        for word in foreign.iter().filter(|w| labels_with(node, w)) {
            faults.push(format!("{page} ({}): the other language's {word:?}", lang.code()));
        }
    }
    for date in iso_dates(&text) {
        faults.push(format!("{page} ({}): ISO date {date}", lang.code()));
    }
    for amount in bare_amounts(&text) {
        faults.push(format!("{page} ({}): unformatted {amount}", lang.code()));
    }
    if text.contains("seed 0") {
        faults.push(format!("{page} ({}): a source cited as a seed file", lang.code()));
    }
    faults
}

#[test]
fn the_checks_find_what_they_look_for() {
    assert_eq!(iso_dates("due 2026-03-31, or 31/03/2026"), ["2026-03-31"]);
    assert_eq!(
        bare_amounts(
            "1250000 ₫ and 1.250.000 ₫, tax code 0101234567, 2026, id 01a22e85-bb85-702c, ee86f791231c, ISO/IEC 27001:2022"
        ),
        ["1250000"]
    );
    let text = visible_text("<p title=\"2026-01-01\">a<script>x</script> b</p>");
    assert_eq!(
        text.split(|c: char| c == '\u{0}' || c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert!(labels_with("Status: met", "Status") && !labels_with("Status quo", "Status"));
}
