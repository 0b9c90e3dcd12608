//! The namespace declarations in scope while reading, resolved by hand.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::rc::Rc;
use std::sync::Arc;

use quick_xml::events::BytesStart;
use quick_xml::name::PrefixDeclaration;

use super::{MAX_NAMESPACE_DECLARATIONS, XmlError, err};

/// The namespace the `xml` prefix is bound to, undeclared.
pub(super) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of the `xmlns` prefix, which may not be declared.
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Counts one unit of namespace work (a hash probe) in unit tests, which
/// bound it; nothing outside them.
fn counted() {
    #[cfg(test)]
    super::tests::NAMESPACE_WORK.with(|n| n.set(n.get() + 1));
}

/// The namespace declarations in scope while reading.
///
/// Each prefix (`""` for the default namespace) maps to the URIs declared
/// for it on the open elements, innermost last, so a name resolves with one
/// hash probe however many declarations are in scope. The prefixes each
/// open element declared are kept in order, and ending the element pops
/// exactly those, one probe each. Reading an element thus costs a bounded
/// number of probes per declaration and per name on it, never a scan of
/// what is in scope; and at most [`MAX_NAMESPACE_DECLARATIONS`] are held.
#[derive(Default)]
pub(super) struct Scopes {
    /// Prefix → URIs declared for it, innermost last; `None` undeclares
    /// (`xmlns=""`, or `xmlns:p=""`, which XML 1.0 does not allow and
    /// leaves `p` unusable).
    in_scope: HashMap<Rc<str>, Vec<Option<Arc<str>>>>,
    /// The prefixes declared by the open elements, in document order.
    declared: Vec<Rc<str>>,
    /// `declared.len()` when each open element started.
    marks: Vec<usize>,
}

impl Scopes {
    /// Opens `start`'s scope with the declarations on it.
    pub(super) fn open(&mut self, start: &BytesStart<'_>, position: u64) -> Result<(), XmlError> {
        self.marks.push(self.declared.len());
        for attr in start.attributes() {
            let attr = attr.map_err(|e| err(position, e.to_string()))?;
            if let Some(declaration) = attr.key.as_namespace_binding() {
                self.declare(declaration, attr.value.as_ref(), position)?;
            }
        }
        Ok(())
    }

    /// Adds a declaration to the innermost scope. The value is taken as
    /// written (quick-xml's `NsReader` did the same).
    fn declare(
        &mut self,
        declaration: PrefixDeclaration<'_>,
        uri: &str,
        position: u64,
    ) -> Result<(), XmlError> {
        // The reserved prefixes and namespaces (Namespaces in XML 1.0, §3).
        // `xmlns:="…"` (no name) declares the default namespace, as it did
        // with `NsReader`, after the checks of a named prefix.
        let prefix = match declaration {
            PrefixDeclaration::Default => "",
            PrefixDeclaration::Named("xml") if uri == XML_NS => return Ok(()),
            PrefixDeclaration::Named("xml") => {
                return Err(err(position, "the xml prefix bound to another namespace"));
            }
            PrefixDeclaration::Named("xmlns") => {
                return Err(err(position, "the xmlns prefix declared"));
            }
            PrefixDeclaration::Named(p) if uri == XML_NS || uri == XMLNS_NS => {
                return Err(err(
                    position,
                    format!("prefix {p:?} bound to a reserved namespace"),
                ));
            }
            PrefixDeclaration::Named(p) => p,
        };
        if self.declared.len() >= MAX_NAMESPACE_DECLARATIONS {
            return Err(err(
                position,
                format!("more than {MAX_NAMESPACE_DECLARATIONS} namespace declarations in scope"),
            ));
        }
        let prefix: Rc<str> = prefix.into();
        let uri = (!uri.is_empty()).then(|| Arc::<str>::from(uri));
        counted();
        self.in_scope.entry(prefix.clone()).or_default().push(uri);
        self.declared.push(prefix);
        Ok(())
    }

    /// Closes the innermost open scope.
    pub(super) fn close(&mut self) {
        let mark = self.marks.pop().unwrap_or(0);
        for prefix in self.declared.drain(mark..) {
            counted();
            if let Entry::Occupied(mut uris) = self.in_scope.entry(prefix) {
                uris.get_mut().pop();
                if uris.get().is_empty() {
                    uris.remove();
                }
            }
        }
    }

    /// The namespace `prefix` stands for (`None`: the default namespace).
    /// `Ok(None)`: no namespace; `Err(())`: an undeclared prefix.
    pub(super) fn resolve(&self, prefix: Option<&str>) -> Result<Option<Arc<str>>, ()> {
        match prefix {
            Some("xml") => Ok(Some(XML_NS.into())),
            Some("xmlns") => Ok(Some(XMLNS_NS.into())),
            // `xmlns:="…"` declares the default namespace; `:a` is no name.
            Some("") => Err(()),
            Some(p) => {
                counted();
                match self.in_scope.get(p).and_then(|uris| uris.last()) {
                    Some(Some(uri)) => Ok(Some(uri.clone())),
                    _ => Err(()),
                }
            }
            None => {
                counted();
                Ok(self.in_scope.get("").and_then(|uris| uris.last()?.clone()))
            }
        }
    }
}
