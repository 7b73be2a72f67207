//! The layering of `src/` stays true: every `crate::…` path in a module names a module of its
//! own layer or of a layer below it, as listed in the `# Layers` section of `src/lib.rs`.
//! Test code (`#[cfg(test)]` sections) may reach anything and is not checked; `main.rs` may
//! use every layer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Module name → layer number, read from the `# Layers` list of `src/lib.rs`
/// (lines like ``//! 2. text: `messages` ``, continued on indented lines).
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut layers = BTreeMap::new();
    let mut in_section = false;
    let mut current: Option<usize> = None;
    for line in lib.lines() {
        let Some(text) = line.strip_prefix("//!") else {
            break;
        };
        let text = text.trim();
        if text.starts_with('#') {
            in_section = text == "# Layers";
            continue;
        }
        if !in_section {
            continue;
        }
        // `N. name: `a`, `b`,` — or, indented below it, more modules of the same layer.
        let modules = match text.split_once(". ") {
            Some((number, rest)) if number.parse::<usize>().is_ok() => {
                current = number.parse().ok();
                rest.split_once(':').map_or("", |(_, modules)| modules)
            }
            _ if line.starts_with("//!   ") => text,
            _ => {
                current = None;
                continue;
            }
        };
        let Some(number) = current else {
            continue;
        };
        for module in modules.split('`').skip(1).step_by(2) {
            layers.insert(module.to_string(), number);
        }
    }
    layers
}

/// The top-level modules `lib.rs` declares.
fn declared_modules(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            line.strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("pub(crate) mod "))
                .or_else(|| line.strip_prefix("mod "))
        })
        .map(|rest| rest.trim_end_matches(';').to_string())
        // `test_support_pub!`'s own body declares `$name`, not a module.
        .filter(|name| !name.starts_with('$'))
        .collect()
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The code of a file without comments, string contents and its `#[cfg(test)]` section.
fn checked_code(text: &str) -> String {
    let mut code = String::new();
    let mut skip_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut pending_test_attribute = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("//") {
            continue;
        }
        if trimmed.starts_with("#[cfg(test)]") {
            pending_test_attribute = true;
            continue;
        }
        let without_strings = strip_strings(line);
        let opens = without_strings.matches('{').count();
        let closes = without_strings.matches('}').count();
        if pending_test_attribute && skip_depth.is_none() {
            pending_test_attribute = false;
            if opens > closes {
                skip_depth = Some(depth);
            } else {
                // A one-line item (`#[cfg(test)] use …;`): skip just it.
                depth = depth + opens - closes.min(depth + opens);
                continue;
            }
        }
        depth = (depth + opens).saturating_sub(closes);
        if let Some(start) = skip_depth {
            if depth <= start {
                skip_depth = None;
            }
            continue;
        }
        code.push_str(&without_strings);
        code.push('\n');
    }
    code
}

fn strip_strings(line: &str) -> String {
    let code = line.split("//").next().unwrap_or(line);
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in code.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if c == '"' {
            in_string = true;
            continue;
        }
        out.push(c);
    }
    out
}

/// Every module named right after `crate::`, including each of `crate::{a, b::c}`.
fn crate_references(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
        } else {
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(name);
        }
        rest = after;
    }
    names
}

/// The top-level module a file under `src/` belongs to.
fn owning_module(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap();
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_string()
}

/// Every import of `src/` against the layer order, as "file: module (layer n) imports
/// module (layer m)".
fn violations(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let layers = layers(&lib);
    let mut problems = Vec::new();
    for module in declared_modules(&lib) {
        if !layers.contains_key(&module) {
            problems.push(format!(
                "lib.rs declares `{module}` but the layer list does not place it"
            ));
        }
    }
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    for file in files {
        let owner = owning_module(src, &file);
        if owner == "lib" || owner == "main" {
            continue;
        }
        let Some(&own_layer) = layers.get(&owner) else {
            continue;
        };
        let code = checked_code(&std::fs::read_to_string(&file).unwrap());
        for used in crate_references(&code) {
            if let Some(&used_layer) = layers.get(&used)
                && used_layer > own_layer
            {
                problems.push(format!(
                    "{}: `{owner}` (layer {own_layer}) imports `{used}` (layer {used_layer})",
                    file.strip_prefix(src).unwrap().display()
                ));
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

#[test]
fn every_import_follows_the_layer_order_of_lib_rs() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    assert!(
        layers(&lib).len() >= 10,
        "the layer list of lib.rs was not found or is incomplete: {:?}",
        layers(&lib)
    );
    let problems = violations(&src);
    assert!(
        problems.is_empty(),
        "imports against the layer order:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_grouped_imports_and_skips_test_code() {
    let code = checked_code(
        "use crate::{app, mail::Stage};\nfn f() { crate::error::x(); }\n\
         #[cfg(test)]\nmod tests {\n    use crate::commands;\n    fn g() {}\n}\n\
         // crate::cli in a comment\nlet s = \"crate::cli\";\n",
    );
    assert_eq!(crate_references(&code), ["app", "mail", "error"]);
}

// ---------------------------------------------------------------------------------------------
// File size and import circles
// ---------------------------------------------------------------------------------------------

/// The most lines a file of `src/` may have: past it a file mixes topics, and a newcomer
/// cannot hold it in their head.
const MOST_LINES: usize = 700;

/// Files allowed past [`MOST_LINES`] for now, each with why.
const LONG_FILES_ALLOWED: &[&str] = &[];

#[test]
fn no_file_of_src_is_longer_than_700_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let long: Vec<String> = files
        .iter()
        .map(|file| {
            let name = file.strip_prefix(&src).unwrap().display().to_string();
            let lines = std::fs::read_to_string(file).unwrap().lines().count();
            (name, lines)
        })
        .filter(|(name, lines)| *lines > MOST_LINES && !LONG_FILES_ALLOWED.contains(&name.as_str()))
        .map(|(name, lines)| format!("{name}: {lines} lines"))
        .collect();
    assert!(
        long.is_empty(),
        "files of src/ over {MOST_LINES} lines (split them by topic):\n{}",
        long.join("\n")
    );
}

/// The module a file of `src/` is, as its path from the crate root (`mail/mod.rs` is
/// `["mail"]`, `lib.rs` is `[]`).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap();
    let mut path: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    let last = path.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        path.push(stem.to_string());
    }
    path
}

/// Every path named after `crate::`, in full: `crate::{a, b::{c, d}}` is `a`, `b::c`, `b::d`.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        // `crate::` inside an identifier (`foo_crate::`) is some other crate.
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut chars = rest.chars().peekable();
        use_tree(&mut chars, &mut Vec::new(), &mut paths);
    }
    paths
}

/// Reads one `use` tree (`a::b`, `a::{b, c::d}`) from `chars`, after `prefix`.
fn use_tree(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    prefix: &mut Vec<String>,
    paths: &mut Vec<Vec<String>>,
) {
    let depth = prefix.len();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek() == Some(&'{') {
            chars.next();
            loop {
                use_tree(chars, prefix, paths);
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                match chars.next() {
                    Some(',') => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                        if chars.peek() == Some(&'}') {
                            chars.next();
                            break;
                        }
                    }
                    _ => break,
                }
            }
            break;
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_alphanumeric() || c == '_' {
                name.push(c);
                chars.next();
            } else {
                break;
            }
        }
        if name.is_empty() {
            break;
        }
        prefix.push(name);
        let mut lookahead = chars.clone();
        if lookahead.next() == Some(':') && lookahead.next() == Some(':') {
            chars.next();
            chars.next();
            continue;
        }
        paths.push(prefix.clone());
        break;
    }
    prefix.truncate(depth);
}

/// The import graph among sibling modules: for each parent module, which of its child
/// modules name which others (`mail::live` naming `crate::mail::imap_probe::x` is an edge
/// `live → imap_probe` under `mail`). A module naming its own ancestor or descendant adds no
/// edge. `super::` paths at the top of a file count as well. Test modules are left out.
fn sibling_edges(src: &Path) -> BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let modules: Vec<Vec<String>> = files.iter().map(|f| module_path(src, f)).collect();
    let mut graph: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (file, module) in files.iter().zip(&modules) {
        if module.is_empty() || module.last().is_some_and(|m| m == "tests") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code = checked_code(&text);
        let mut targets = crate_paths(&code);
        let parent = &module[..module.len() - 1];
        for line in code.lines().filter(|l| l.starts_with("use super::")) {
            for path in crate_paths(&line.replacen("use super::", "use crate::", 1)) {
                targets.push(parent.iter().cloned().chain(path).collect());
            }
        }
        for target in targets {
            // The longest prefix of the path that is a module of src/.
            let Some(target) = (1..=target.len())
                .rev()
                .map(|n| target[..n].to_vec())
                .find(|prefix| modules.contains(prefix))
            else {
                continue;
            };
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common == module.len() || common == target.len() {
                continue;
            }
            let from = module[common].clone();
            let to = target[common].clone();
            let edges = graph
                .entry(module[..common].to_vec())
                .or_default()
                .entry(from)
                .or_default();
            if !edges.contains(&to) {
                edges.push(to);
            }
        }
    }
    graph
}

/// Every circle of `edges`, each as `a → b → a`, found once (from its smallest module).
fn circles(edges: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    fn walk(
        edges: &BTreeMap<String, Vec<String>>,
        start: &str,
        path: &mut Vec<String>,
        found: &mut Vec<String>,
    ) {
        let here = path.last().unwrap().clone();
        for next in edges.get(&here).into_iter().flatten() {
            if next == start {
                found.push(format!("{} → {start}", path.join(" → ")));
            } else if next.as_str() > start && !path.contains(next) {
                path.push(next.clone());
                walk(edges, start, path, found);
                path.pop();
            }
        }
    }
    let mut found = Vec::new();
    for start in edges.keys() {
        walk(edges, start, &mut vec![start.clone()], &mut found);
    }
    found
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = sibling_edges(&src);
    assert!(
        graph.get(&Vec::new()).is_some_and(|top| top.len() >= 10),
        "the module graph was not found: {graph:?}"
    );
    let mut problems = Vec::new();
    for (parent, edges) in &graph {
        let under = if parent.is_empty() {
            "crate".to_string()
        } else {
            parent.join("::")
        };
        for circle in circles(edges) {
            problems.push(format!("under `{under}`: {circle}"));
        }
    }
    assert!(
        problems.is_empty(),
        "modules that import each other in a circle (move what both need into one of \
         them or a module of its own):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_circle_checker_reads_nested_imports_and_names_a_circle() {
    assert_eq!(
        crate_paths("use crate::mail::{live::X, send_test::{a, b::C}};\nfoo_crate::x;"),
        [
            vec!["mail", "live", "X"],
            vec!["mail", "send_test", "a"],
            vec!["mail", "send_test", "b", "C"],
        ]
    );
    let edges: BTreeMap<String, Vec<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(circles(&edges), ["a → b → c → a"]);
    let no_circle: BTreeMap<String, Vec<String>> = [("a", vec!["b"]), ("b", vec![])]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
        .collect();
    assert!(circles(&no_circle).is_empty());
}

/// Comments say why, never which issue asked for a change: an issue number sends the reader
/// to a tracker the repository does not carry.
#[test]
fn no_source_file_names_an_issue_number() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in issue_numbers(&text) {
            found.push(format!(
                "{}:{line}",
                file.strip_prefix(&src).unwrap().display()
            ));
        }
    }
    assert!(
        found.is_empty(),
        "issue numbers in src/ (say the why instead):\n{}",
        found.join("\n")
    );
}

/// The line numbers where `text` names an issue: "issue 18", "Issue 19.8", "issues 9 and
/// 10", "issue #7", and "issue" at the end of a comment line with its number on the next.
fn issue_numbers(text: &str) -> Vec<usize> {
    let lower = text.to_ascii_lowercase();
    lower
        .match_indices("issue")
        .filter(|&(at, word)| {
            let rest = &lower[at + word.len()..];
            let rest = rest.strip_prefix('s').unwrap_or(rest);
            rest.trim_start_matches([' ', '\t', '#', '\n', '/', '!'])
                .starts_with(|c: char| c.is_ascii_digit())
        })
        .map(|(at, _)| lower[..at].matches('\n').count() + 1)
        .collect()
}

#[test]
fn the_issue_check_sees_every_spelling_and_nothing_else() {
    for named in [
        "// (issue 18.3)",
        "/// Issue 19: sixteen bytes",
        "// issues 9 and 10",
        "// see issue #7",
        "//! the same store (issue\n//!   18.4); else",
    ] {
        assert_eq!(issue_numbers(named), [1], "{named:?}");
    }
    for plain in [
        "// an issue with the keyring, 3 times",
        "// the certificate was issued 2024",
        "let issue = 4;",
    ] {
        assert!(issue_numbers(plain).is_empty(), "{plain:?}");
    }
}
