//! The shapes of the JSON members the caller writes, as Bird's schema
//! states them: `meta` and the template parameters of the structured types.

use super::Shape;
use Shape::{
    AnyObject, Array, Bool, DateTime, Enum, Int, Nullable, Number, Object, Str, StrLen, StrMap,
    Uuid,
};

const NULLABLE_STR: Shape = Nullable(&Str);
const NULLABLE_UUID: Shape = Nullable(&Uuid);

const FLOW: Shape = Object {
    members: &[
        ("id", false, NULLABLE_UUID),
        ("name", false, NULLABLE_STR),
        ("stepId", false, NULLABLE_STR),
        ("runId", false, NULLABLE_UUID),
    ],
    open: false,
};

const PRODUCT_REF: Shape = Object {
    members: &[
        ("externalCatalogId", false, Str),
        ("externalProductId", false, Str),
    ],
    open: false,
};

/// The members of Bird's `Meta` (its `additionalProperties` is false).
pub(crate) const META: &[(&str, bool, Shape)] = &[
    ("extraInformation", false, AnyObject),
    (
        "referral",
        false,
        Object {
            members: &[
                ("source", false, Str),
                ("title", false, NULLABLE_STR),
                ("text", false, NULLABLE_STR),
                ("group", false, NULLABLE_STR),
                (
                    "metadata",
                    false,
                    Nullable(&Object {
                        members: &[
                            ("source_id", false, Str),
                            ("source_url", false, NULLABLE_STR),
                            ("media_url", false, NULLABLE_STR),
                            ("tracking_id", false, NULLABLE_STR),
                        ],
                        open: false,
                    }),
                ),
            ],
            open: false,
        },
    ),
    (
        "order",
        false,
        Object {
            members: &[(
                "products",
                false,
                Array(&Object {
                    members: &[
                        ("externalCatalogId", false, Str),
                        ("externalProductId", false, Str),
                        ("quantity", false, Int),
                        (
                            "price",
                            false,
                            Object {
                                members: &[
                                    ("amount", false, Int),
                                    ("exponent", false, Int),
                                    ("currencyCode", false, Str),
                                ],
                                open: false,
                            },
                        ),
                    ],
                    open: false,
                }),
            )],
            open: false,
        },
    ),
    ("referredProduct", false, Nullable(&PRODUCT_REF)),
    (
        "email",
        false,
        Object {
            members: &[
                ("subject", false, Str),
                ("headers", false, StrMap),
                (
                    "from",
                    false,
                    // `username`'s pattern `[\w\d.-/+]+` is not
                    // checked here: Bird reads it unanchored.
                    Object {
                        members: &[("username", false, Str), ("displayName", false, Str)],
                        open: false,
                    },
                ),
            ],
            open: false,
        },
    ),
    (
        "pushNotifications",
        false,
        Object {
            members: &[(
                "gatewayTypeOverride",
                false,
                Enum(&["apns", "firebase", "web"]),
            )],
            open: false,
        },
    ),
    ("navigatorId", false, Uuid),
    ("navigatorMessageId", false, Uuid),
    ("flow", false, FLOW),
    ("journey", false, FLOW),
    (
        "campaign",
        false,
        Object {
            members: &[("id", false, NULLABLE_UUID), ("name", false, NULLABLE_STR)],
            open: false,
        },
    ),
];

const PRODUCT: Shape = Object {
    members: &[
        ("externalProductId", true, Str),
        ("amount", false, Str),
        ("text", false, Str),
    ],
    open: false,
};

const WHATSAPP_PRODUCT_ITEM: Shape = Object {
    members: &[
        ("id", false, Str),
        ("type", true, Enum(&["whatsapp-product-item"])),
        ("reference", false, Str),
        ("role", false, Str),
        ("hidden", false, Bool),
        (
            "whatsappProductItem",
            true,
            Object {
                members: &[("externalProductId", true, Str)],
                open: false,
            },
        ),
    ],
    open: false,
};

/// The `value` of a template parameter of type `kind`, as Bird's
/// `TemplateParameter` states it; `None` for a type it does not have.
pub(crate) fn parameter_value(kind: &str) -> Option<Shape> {
    Some(match kind {
        "string" => Str,
        "number" => Number,
        "boolean" => Bool,
        "object" => AnyObject,
        "sectionList" => Object {
            members: &[(
                "sections",
                true,
                Nullable(&Array(&Object {
                    members: &[
                        ("id", false, NULLABLE_STR),
                        ("multipleSelection", false, Bool),
                        ("title", true, Str),
                        (
                            "items",
                            true,
                            Array(&Object {
                                members: &[
                                    ("id", false, Str),
                                    ("type", true, Enum(&["reply-action"])),
                                    ("reference", false, Str),
                                    ("role", false, Str),
                                    ("hidden", false, Bool),
                                    (
                                        "replyAction",
                                        true,
                                        Object {
                                            members: &[
                                                ("text", true, Str),
                                                ("imageUrl", false, Str),
                                                ("payload", false, Str),
                                                ("subTitle", false, Str),
                                            ],
                                            open: true,
                                        },
                                    ),
                                ],
                                open: true,
                            }),
                        ),
                    ],
                    open: false,
                })),
            )],
            open: false,
        },
        "timeslotList" => Object {
            members: &[(
                "timeslots",
                true,
                Array(&Object {
                    members: &[
                        ("id", false, NULLABLE_STR),
                        ("startTime", true, DateTime),
                        ("duration", true, Number),
                    ],
                    open: false,
                }),
            )],
            open: false,
        },
        "productSections" => Object {
            members: &[(
                "productSections",
                true,
                Array(&Object {
                    members: &[
                        ("title", true, StrLen(1, 24)),
                        ("products", true, Array(&PRODUCT)),
                    ],
                    open: false,
                }),
            )],
            open: false,
        },
        "productList" => Object {
            members: &[(
                "products",
                true,
                Array(&Object {
                    members: &[
                        ("type", true, Enum(&["product"])),
                        ("product", true, PRODUCT),
                    ],
                    open: false,
                }),
            )],
            open: false,
        },
        "shippingMethodList" => Object {
            members: &[(
                "shippingMethods",
                true,
                Nullable(&Array(&Object {
                    members: &[
                        ("amount", true, Str),
                        ("label", true, Str),
                        ("identifier", true, Str),
                        ("detail", true, Str),
                    ],
                    open: false,
                })),
            )],
            open: false,
        },
        "lineItemList" => Object {
            members: &[(
                "lineItems",
                true,
                Nullable(&Array(&Object {
                    members: &[
                        ("amount", true, Str),
                        ("text", true, Str),
                        ("type", false, Enum(&["pending", "final"])),
                    ],
                    open: false,
                })),
            )],
            open: false,
        },
        "whatsappProductSections" => Object {
            members: &[(
                "sections",
                true,
                Array(&Object {
                    members: &[
                        ("id", false, Str),
                        ("type", true, Enum(&["whatsapp-product-section"])),
                        ("reference", false, Str),
                        ("role", false, Str),
                        ("hidden", false, Bool),
                        (
                            "whatsappProductSection",
                            true,
                            Object {
                                members: &[
                                    ("title", true, StrLen(1, 24)),
                                    ("products", true, Array(&WHATSAPP_PRODUCT_ITEM)),
                                ],
                                open: false,
                            },
                        ),
                    ],
                    open: false,
                }),
            )],
            open: false,
        },
        "whatsappProductItems" => Object {
            members: &[("products", true, Array(&WHATSAPP_PRODUCT_ITEM))],
            open: false,
        },
        _ => return None,
    })
}
