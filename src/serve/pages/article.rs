//! The article page: the text with its entity mentions highlighted by type
//! and each fact's sentence marked, and the article's own graph.
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};

use crate::rdf::{ARTICLE, ONTOLOGY};

use crate::serve::catalog::{ArticleInfo, Catalog};
use crate::serve::html::{entity_href, esc, page, Lang, PageCtx};
use crate::serve::http::{encode_param, Response};
use crate::serve::App;

use super::entity::{legend_html, qualifiers_html, read_facts, relation_label, term_html, FactRow};
use super::{query_failed, RDF_TYPE};

pub(super) fn article(
    app: &App,
    ctx: &PageCtx,
    catalog: &Catalog,
    id: &str,
) -> Result<Response, Response> {
    let lang = ctx.lang;
    let Some(info) = catalog.article(id) else {
        return Err(Response::error(
            404,
            &format!("no article {id} in the store"),
        ));
    };
    let art = NamedNode::new(format!("{ARTICLE}{id}"))
        .map_err(|_| Response::error(400, "invalid article id"))?;
    let default = Some(GraphNameRef::DefaultGraph);
    let text = app
        .quads(
            Some(art.as_ref().into()),
            Some(NamedNodeRef::new_unchecked(&format!("{ONTOLOGY}text"))),
            None,
            default,
        )
        .map_err(query_failed)?
        .into_iter()
        .find_map(|q| match q.object {
            Term::Literal(l) => Some(l.value().to_string()),
            _ => None,
        })
        .or_else(|| text_from_source(info));
    let mentioned = app
        .quads(
            None,
            Some(NamedNodeRef::new_unchecked(&format!(
                "{ONTOLOGY}mentionedIn"
            ))),
            Some(art.as_ref().into()),
            default,
        )
        .map_err(query_failed)?;
    let entities: Vec<&crate::serve::catalog::EntityInfo> = mentioned
        .iter()
        .filter_map(|q| match &q.subject {
            NamedOrBlankNode::NamedNode(n) => catalog.entity(n.as_str()),
            _ => None,
        })
        .collect();
    let mut reifiers: Vec<(String, String)> = Vec::new();
    let fact_class = NamedNode::new_unchecked(format!("{ONTOLOGY}Fact"));
    let open_graph = NamedNode::new_unchecked(format!("{}/open", art.as_str()));
    for graph in [art.clone(), open_graph] {
        for q in app
            .quads(
                None,
                Some(NamedNodeRef::new_unchecked(RDF_TYPE)),
                Some(fact_class.as_ref().into()),
                Some(graph.as_ref().into()),
            )
            .map_err(query_failed)?
        {
            if let NamedOrBlankNode::NamedNode(f) = q.subject {
                reifiers.push((f.as_str().to_string(), graph.as_str().to_string()));
            }
        }
    }
    let mut facts = read_facts(app, &reifiers).map_err(query_failed)?;
    facts.sort_by_key(|f| (f.open, f.start, f.reifier.clone()));

    let mut body = String::new();
    let _ = write!(body, "<h1>{}</h1><p class=\"muted\">", esc(info.name()));
    for (label, value) in [
        ("date", &info.date),
        ("source", &info.source),
        ("url", &info.url),
    ] {
        if let Some(v) = value {
            let _ = write!(body, "{label}: {} · ", esc(v));
        }
    }
    let _ = write!(body, "id {}</p>", esc(id));
    body.push_str(&legend_html(catalog, lang));
    match &text {
        Some(t) => {
            body.push_str("<div class=\"text\">");
            body.push_str(&highlight(t, &entities, &facts, catalog, lang));
            body.push_str("</div>");
        }
        None => body.push_str(
            "<p class=\"note\">The store holds no text for this article (it was ingested by an \
             older musubi) and its source file cannot be read; its facts follow.</p>",
        ),
    }
    let _ = write!(body, "<h2>Facts ({})</h2><table class=\"facts\"><tr><th>subject</th><th>relation</th><th>object</th><th>qualifiers</th><th>sentence</th><th>rule</th></tr>", facts.len());
    for f in &facts {
        let _ = write!(
            body,
            "<tr class=\"fact{}\"><td>{}</td><td>{}{}{}</td><td>{}</td><td class=\"qual\">{}</td>\
             <td class=\"sentence\"><a href=\"#s{}\">{}</a></td><td class=\"muted\">{} {}</td></tr>",
            if f.asserted { "" } else { " neg" },
            f.subject.as_ref().map_or(String::new(), |t| term_html(t, catalog, lang)),
            esc(&relation_label(catalog, &f.relation, lang)),
            if f.open { " <span class=\"muted\">(open)</span>" } else { "" },
            if f.asserted { "" } else { " <span class=\"muted\">(not asserted)</span>" },
            f.object.as_ref().map_or(String::new(), |t| term_html(t, catalog, lang)),
            qualifiers_html(f, catalog, lang),
            f.start.unwrap_or(0),
            esc(&f.sentence),
            esc(f.rule.as_deref().unwrap_or("")),
            esc(f.confidence.as_deref().unwrap_or("")),
        );
    }
    body.push_str("</table><h2>Graph of this article</h2>");
    let _ = write!(
        body,
        "<iframe class=\"graph\" title=\"article graph\" src=\"/graph.svg?article={}&amp;lang={}\"></iframe>",
        esc(&encode_param(id)),
        lang.tag()
    );
    Ok(Response::html(page(ctx, info.name(), &body)))
}

/// The text of an article ingested before the store kept texts: its source
/// file, if it is still there and still the same text.
pub(super) fn text_from_source(info: &ArticleInfo) -> Option<String> {
    let path = std::path::Path::new(info.source.as_ref()?);
    [crate::Layout::Plain, crate::Layout::Livedoor]
        .into_iter()
        .filter_map(|layout| crate::Article::read(path, layout).ok())
        .find(|a| a.id == info.id)
        .map(|a| a.text)
}

/// The article text with each entity's spellings marked by type (longest
/// spelling first, as displaCy shows entities) and each fact's sentence marked.
/// Spellings are the stored ones of the entities the article mentions, so a
/// mark always leads to a node of the graph.
pub(super) fn highlight(
    text: &str,
    entities: &[&crate::serve::catalog::EntityInfo],
    facts: &[FactRow],
    catalog: &Catalog,
    lang: Lang,
) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Spellings by first character, longest first. One-character names (a
    // country's initial) are left out: they would mark every use of the kanji.
    let mut by_first: HashMap<char, Vec<(Vec<char>, usize)>> = HashMap::new();
    for (i, e) in entities.iter().enumerate() {
        for name in &e.names {
            let cs: Vec<char> = name.chars().collect();
            if cs.len() >= 2 {
                by_first.entry(cs[0]).or_default().push((cs, i));
            }
        }
    }
    for list in by_first.values_mut() {
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        list.dedup();
    }
    // Fact sentences: start → (end, facts in it).
    let mut sentences: BTreeMap<usize, (usize, Vec<String>)> = BTreeMap::new();
    for f in facts {
        if let (Some(s), Some(e)) = (f.start, f.end) {
            if s < e && e <= chars.len() {
                let entry = sentences.entry(s).or_insert((e, Vec::new()));
                let describe = |t: &Option<Term>| match t {
                    Some(Term::NamedNode(n)) => catalog
                        .entity(n.as_str())
                        .map_or_else(|| n.as_str().to_string(), |x| x.label.clone()),
                    Some(Term::Literal(l)) => l.value().to_string(),
                    _ => String::new(),
                };
                entry.1.push(format!(
                    "{} {} {}",
                    describe(&f.subject),
                    relation_label(catalog, &f.relation, lang),
                    describe(&f.object)
                ));
            }
        }
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut open_until: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        if open_until == Some(i) {
            out.push_str("</mark>");
            open_until = None;
        }
        if open_until.is_none() {
            if let Some((end, what)) = sentences.get(&i) {
                let _ = write!(
                    out,
                    "<mark class=\"fact\" id=\"s{i}\" title=\"{}\">",
                    esc(&what.join(" / "))
                );
                open_until = Some(*end);
            }
        }
        let limit = open_until.unwrap_or(chars.len());
        let found = by_first.get(&chars[i]).and_then(|list| {
            list.iter()
                .find(|(cs, _)| i + cs.len() <= limit && chars[i..i + cs.len()] == cs[..])
        });
        match found {
            Some((cs, e)) => {
                let e = entities[*e];
                let surface: String = cs.iter().collect();
                let _ = write!(
                    out,
                    "<a class=\"ent t-{}\" href=\"{}\" title=\"{}\">{}<span class=\"tag\">{}</span></a>",
                    esc(&e.kind),
                    esc(&entity_href(&e.iri)),
                    esc(&e.label),
                    esc(&surface),
                    esc(&catalog.class_label(&e.kind, lang)),
                );
                i += cs.len();
            }
            None => {
                out.push_str(&esc(&chars[i].to_string()));
                i += 1;
            }
        }
    }
    if open_until.is_some() {
        out.push_str("</mark>");
    }
    out
}
