//! Reading the C surface out of the tim-capi sources with `syn`: every
//! `#[unsafe(no_mangle)] pub [unsafe] extern "C" fn`, every `pub type TIM...Callback = unsafe
//! extern "C" fn(...)`, and the `pub type TIMxxx = c_int;` aliases that name a C enum.
//!
//! Types are mapped to C by a fixed table ([`c_type`]); a type outside it is an error naming
//! the type and the function, never a guess.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One C parameter: its C type and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// The C type (`const char*`, `enum TIMConvType`, `TIMCommCallback`).
    pub c_type: String,
    /// The parameter name, as the Rust signature spells it.
    pub name: String,
}

/// An exported function or a callback typedef.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The symbol or typedef name.
    pub name: String,
    /// The C return type (`void` for none).
    pub returns: String,
    /// The parameters in order.
    pub params: Vec<Param>,
    /// The first paragraph of the Rust doc comment, line by line.
    pub doc: Vec<String>,
    /// The source file, relative to the workspace root (`crates/tim-capi/src/session.rs`).
    pub file: String,
}

/// Everything the header needs from the Rust sources.
#[derive(Debug, Default)]
pub struct CSurface {
    /// The exported functions, by file then source order.
    pub functions: Vec<Signature>,
    /// The callback typedefs, by file then source order.
    pub callbacks: Vec<Signature>,
}

/// The Rust source of one file, already read (so tests can feed text directly).
pub struct Source {
    /// The path shown in messages and comments.
    pub file: String,
    /// The file's text.
    pub text: String,
}

/// Every `.rs` file under `dir`, recursively, sorted by path (deterministic output).
pub fn read_sources(root: &Path, dir: &Path) -> Result<Vec<Source>, String> {
    let mut files = Vec::new();
    collect_rs(dir, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .map_err(|err| format!("cannot read {}: {err}", path.display()))?;
            let shown = path.strip_prefix(root).unwrap_or(&path);
            Ok(Source {
                file: shown.to_string_lossy().replace('\\', "/"),
                text,
            })
        })
        .collect()
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|err| format!("cannot list {}: {err}", dir.display()))?
            .path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses the sources; `enums` are the C enum names an alias may carry.
pub fn surface(sources: &[Source], enums: &BTreeSet<&str>) -> Result<CSurface, String> {
    let mut files = Vec::new();
    let mut aliases = BTreeSet::new();
    let mut callback_names = BTreeSet::new();
    for source in sources {
        let file = syn::parse_file(&source.text)
            .map_err(|err| format!("{}: cannot parse: {err}", source.file))?;
        let mut items = Vec::new();
        flatten(&file.items, &mut items);
        for item in &items {
            if let syn::Item::Type(alias) = item {
                let name = alias.ident.to_string();
                if enums.contains(name.as_str()) && is_path(&alias.ty, "c_int") {
                    aliases.insert(name);
                } else if matches!(*alias.ty, syn::Type::BareFn(_)) && name.starts_with("TIM") {
                    callback_names.insert(name);
                }
            }
        }
        files.push((source.file.clone(), items));
    }
    let types = Types {
        enums: aliases,
        callbacks: callback_names,
    };
    let mut out = CSurface::default();
    for (file, items) in &files {
        for item in items {
            match item {
                syn::Item::Fn(function) if is_export(function) => {
                    out.functions
                        .push(function_signature(function, file, &types)?);
                }
                syn::Item::Type(alias) if types.callbacks.contains(&alias.ident.to_string()) => {
                    out.callbacks.push(callback_signature(alias, file, &types)?);
                }
                _ => {}
            }
        }
    }
    Ok(out)
}

/// The items of a file and of its inline modules, skipping `#[cfg(test)]` modules.
fn flatten(items: &[syn::Item], out: &mut Vec<syn::Item>) {
    for item in items {
        if let syn::Item::Mod(module) = item {
            if has_cfg_test(&module.attrs) {
                continue;
            }
            if let Some((_, inner)) = &module.content {
                flatten(inner, out);
            }
        } else {
            out.push(item.clone());
        }
    }
}

fn has_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("cfg")
            && attr
                .parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

/// `#[unsafe(no_mangle)]` (or the older `#[no_mangle]`), `pub`, `extern "C"`.
fn is_export(function: &syn::ItemFn) -> bool {
    let no_mangle = function.attrs.iter().any(|attr| {
        attr.path().is_ident("no_mangle")
            || (attr.path().is_ident("unsafe")
                && attr
                    .parse_args::<syn::Ident>()
                    .is_ok_and(|ident| ident == "no_mangle"))
    });
    let c_abi = function
        .sig
        .abi
        .as_ref()
        .and_then(|abi| abi.name.as_ref())
        .is_some_and(|name| name.value() == "C");
    no_mangle && c_abi && matches!(function.vis, syn::Visibility::Public(_))
}

/// The type names the mapping knows besides the fixed table.
struct Types {
    /// `pub type TIMxxx = c_int;` aliases named after a C enum.
    enums: BTreeSet<String>,
    /// Callback typedef names.
    callbacks: BTreeSet<String>,
}

fn function_signature(
    function: &syn::ItemFn,
    file: &str,
    types: &Types,
) -> Result<Signature, String> {
    let name = function.sig.ident.to_string();
    let context = format!("{file}: fn {name}");
    let params = function
        .sig
        .inputs
        .iter()
        .map(|input| match input {
            syn::FnArg::Typed(typed) => {
                let param = pattern_name(&typed.pat, &context)?;
                Ok(Param {
                    c_type: c_type(&typed.ty, types, &format!("{context}, parameter `{param}`"))?,
                    name: param,
                })
            }
            syn::FnArg::Receiver(_) => Err(format!("{context}: has a `self` parameter")),
        })
        .collect::<Result<_, String>>()?;
    if function.sig.variadic.is_some() {
        return Err(format!("{context}: variadic functions are not supported"));
    }
    Ok(Signature {
        returns: return_type(&function.sig.output, types, &context)?,
        name,
        params,
        doc: doc_paragraph(&function.attrs),
        file: file.to_owned(),
    })
}

fn callback_signature(
    alias: &syn::ItemType,
    file: &str,
    types: &Types,
) -> Result<Signature, String> {
    let name = alias.ident.to_string();
    let context = format!("{file}: type {name}");
    let syn::Type::BareFn(bare) = &*alias.ty else {
        return Err(format!("{context}: not a function pointer type"));
    };
    let c_abi = bare
        .abi
        .as_ref()
        .and_then(|abi| abi.name.as_ref())
        .is_some_and(|abi| abi.value() == "C");
    if !c_abi {
        return Err(format!("{context}: a callback type must be `extern \"C\"`"));
    }
    let params = bare
        .inputs
        .iter()
        .enumerate()
        .map(|(index, arg)| {
            let param = arg
                .name
                .as_ref()
                .map(|(ident, _)| ident.to_string())
                .ok_or_else(|| format!("{context}: parameter {index} has no name"))?;
            Ok(Param {
                c_type: c_type(&arg.ty, types, &format!("{context}, parameter `{param}`"))?,
                name: param,
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(Signature {
        returns: return_type(&bare.output, types, &context)?,
        name,
        params,
        doc: doc_paragraph(&alias.attrs),
        file: file.to_owned(),
    })
}

fn pattern_name(pat: &syn::Pat, context: &str) -> Result<String, String> {
    match pat {
        syn::Pat::Ident(ident) => Ok(ident.ident.to_string()),
        _ => Err(format!("{context}: a parameter is not a plain name")),
    }
}

fn return_type(output: &syn::ReturnType, types: &Types, context: &str) -> Result<String, String> {
    match output {
        syn::ReturnType::Default => Ok("void".to_owned()),
        syn::ReturnType::Type(_, ty) => c_type(ty, types, &format!("{context}, return type")),
    }
}

/// The last path segment's name when `ty` is a plain path (`std::ffi::c_int` -> `c_int`).
fn last_ident(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

fn is_path(ty: &syn::Type, name: &str) -> bool {
    last_ident(ty).is_some_and(|segment| segment.ident == name && segment.arguments.is_none())
}

/// The C spelling of a Rust FFI type; anything outside the table is an error naming it.
fn c_type(ty: &syn::Type, types: &Types, context: &str) -> Result<String, String> {
    let unknown = || {
        format!(
            "{context}: no C type for the Rust type `{}`; extend the table in xtask/src/header/parse.rs",
            quote_type(ty)
        )
    };
    match ty {
        syn::Type::Ptr(ptr) => {
            let pointee = match last_ident(&ptr.elem) {
                Some(segment) if segment.ident == "c_char" => "char",
                Some(segment) if segment.ident == "c_void" => "void",
                _ => return Err(unknown()),
            };
            Ok(if ptr.mutability.is_some() {
                format!("{pointee}*")
            } else {
                format!("const {pointee}*")
            })
        }
        syn::Type::Tuple(tuple) if tuple.elems.is_empty() => Ok("void".to_owned()),
        syn::Type::Paren(inner) => c_type(&inner.elem, types, context),
        _ => {
            let segment = last_ident(ty).ok_or_else(unknown)?;
            let name = segment.ident.to_string();
            if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
                // Option<TIMxxxCallback>: a nullable function pointer, the C typedef itself.
                let inner = match args.args.first() {
                    Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 => inner,
                    _ => return Err(unknown()),
                };
                return match last_ident(inner) {
                    Some(callback)
                        if name == "Option"
                            && types.callbacks.contains(&callback.ident.to_string()) =>
                    {
                        Ok(callback.ident.to_string())
                    }
                    _ => Err(unknown()),
                };
            }
            let fixed = match name.as_str() {
                "u64" => "uint64_t",
                "u32" => "uint32_t",
                "u16" => "uint16_t",
                "u8" => "uint8_t",
                "i64" => "int64_t",
                "i32" => "int32_t",
                "c_int" => "int",
                "c_uint" => "unsigned int",
                "bool" => "bool",
                _ if types.enums.contains(&name) => return Ok(format!("enum {name}")),
                _ if types.callbacks.contains(&name) => return Ok(name),
                _ => return Err(unknown()),
            };
            Ok(fixed.to_owned())
        }
    }
}

/// A readable spelling of `ty` for error messages.
fn quote_type(ty: &syn::Type) -> String {
    use quote::ToTokens;
    ty.to_token_stream().to_string()
}

/// The first paragraph of the doc comment, one entry per line, leading space trimmed.
fn doc_paragraph(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut lines = Vec::new();
    for attr in attrs {
        let syn::Meta::NameValue(meta) = &attr.meta else {
            continue;
        };
        if !meta.path.is_ident("doc") {
            continue;
        }
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &meta.value
        else {
            continue;
        };
        let text = text.value();
        if text.trim().is_empty() && !lines.is_empty() {
            return lines; // a bare `///` line: the paragraph ends
        }
        for line in text.lines() {
            let line = line.strip_prefix(' ').unwrap_or(line).trim_end();
            if line.is_empty() {
                if !lines.is_empty() {
                    return lines;
                }
            } else {
                lines.push(line.to_owned());
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CSurface, String> {
        let enums = BTreeSet::from(["TIMConvType", "TIMLogLevel"]);
        surface(
            &[Source {
                file: "x.rs".to_owned(),
                text: text.to_owned(),
            }],
            &enums,
        )
    }

    #[test]
    fn an_export_maps_to_its_c_prototype() {
        let surface = parse(
            r#"
            pub type TIMConvType = c_int;
            pub type TIMLogLevel = c_int;
            /// `TIMCommCallback`: the result.
            pub type TIMCommCallback = unsafe extern "C" fn(code: i32, desc: *const c_char, user_data: *const c_void);
            pub type TIMLogCallback = unsafe extern "C" fn(level: TIMLogLevel, log: *const c_char);
            /// Sends.
            ///
            /// More.
            #[unsafe(no_mangle)]
            pub unsafe extern "C" fn TIMSend(conv_type: TIMConvType, buffer: *mut c_char, n: u64, cb: Option<TIMCommCallback>) -> c_int { 0 }
            /// Not exported: no `no_mangle`.
            pub extern "C" fn helper(x: i32) -> i32 { x }
            #[cfg(test)]
            mod tests { #[unsafe(no_mangle)] pub extern "C" fn TIMTestOnly() {} }
            "#,
        )
        .unwrap();
        assert_eq!(surface.functions.len(), 1);
        let send = &surface.functions[0];
        assert_eq!(send.name, "TIMSend");
        assert_eq!(send.returns, "int");
        assert_eq!(send.doc, vec!["Sends.".to_owned()]);
        let params: Vec<_> = send
            .params
            .iter()
            .map(|p| format!("{} {}", p.c_type, p.name))
            .collect();
        assert_eq!(
            params,
            [
                "enum TIMConvType conv_type",
                "char* buffer",
                "uint64_t n",
                "TIMCommCallback cb"
            ]
        );
        assert_eq!(surface.callbacks.len(), 2);
        assert_eq!(surface.callbacks[1].params[0].c_type, "enum TIMLogLevel");
        assert_eq!(surface.callbacks[0].params[1].c_type, "const char*");
    }

    #[test]
    fn an_unknown_type_is_an_error_naming_it() {
        let err = parse(r#"#[unsafe(no_mangle)] pub extern "C" fn TIMOdd(x: f64) -> c_int { 0 }"#)
            .unwrap_err();
        assert!(err.contains("fn TIMOdd, parameter `x`"), "{err}");
        assert!(err.contains("`f64`"), "{err}");
        let err =
            parse(r#"#[unsafe(no_mangle)] pub extern "C" fn TIMOdd(x: *const u16) -> c_int { 0 }"#)
                .unwrap_err();
        assert!(err.contains("no C type"), "{err}");
        // An enum name that is not declared as a `c_int` alias is not trusted.
        let err = parse(
            r#"#[unsafe(no_mangle)] pub extern "C" fn TIMOdd(x: TIMConvType) -> c_int { 0 }"#,
        )
        .unwrap_err();
        assert!(err.contains("TIMConvType"), "{err}");
    }
}
