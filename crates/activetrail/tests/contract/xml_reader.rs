//! The DataContract XML reader refuses what would cost without bound:
//! nesting past `MAX_DEPTH`, more than `MAX_ELEMENTS` elements; and it
//! reads what .NET may send.

use activetrail::xml::{MAX_DEPTH, MAX_ELEMENTS, parse};

#[test]
fn deep_and_wide_documents_are_refused_quickly() {
    let deep = "<a>".repeat(100_000);
    let err = parse(deep.as_bytes()).unwrap_err();
    assert!(err.message.contains("deeper"), "{err}");
    let wide = format!("<r>{}</r>", "<x/>".repeat(MAX_ELEMENTS + 1));
    assert!(
        parse(wide.as_bytes())
            .unwrap_err()
            .message
            .contains("elements")
    );
}

#[test]
fn the_limits_are_the_documented_ones() {
    assert_eq!((MAX_DEPTH, MAX_ELEMENTS), (64, 200_000));
    let at_limit = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
    assert!(parse(at_limit.as_bytes()).is_ok());
    let wide = format!("<r>{}</r>", "<x/>".repeat(MAX_ELEMENTS - 1));
    assert!(parse(wide.as_bytes()).is_ok());
}
