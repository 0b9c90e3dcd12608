//! Image, file and location messages.

use serde::{Deserialize, Serialize};
use whatsapp_common::{ValidationError, validate};

use super::actions::{Action, validate_actions};

/// An image of an image message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Image {
    /// Where the image is.
    pub media_url: String,
    /// Its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
}

/// One or more images, with optional text and buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Images {
    /// Text with the images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The images.
    pub images: Vec<Image>,
    /// Buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

/// A file of a file message (audio, video or document on WhatsApp).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct File {
    /// Where the file is.
    pub media_url: String,
    /// Its MIME type (required by Bird).
    pub content_type: String,
    /// The file name shown to the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// Its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
}

/// One or more files, with optional text and buttons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Files {
    /// Text with the files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The files.
    pub files: Vec<File>,
    /// Buttons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

/// Coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    /// −90..=90.
    pub latitude: f64,
    /// −180..=180.
    pub longitude: f64,
}

/// Address and label of a location.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Place {
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Name of the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A location message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// Where.
    pub coordinates: Coordinates,
    /// Address and label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Place>,
}

impl Images {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        if self.images.is_empty() {
            return Err(ValidationError::new(
                "body.image.images",
                "at least one image is required",
            ));
        }
        for (i, img) in self.images.iter().enumerate() {
            validate::not_empty(&img.media_url, format!("body.image.images[{i}].mediaUrl"))?;
        }
        validate_actions(&self.actions, "body.image")
    }
}

impl Files {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        if self.files.is_empty() {
            return Err(ValidationError::new(
                "body.file.files",
                "at least one file is required",
            ));
        }
        for (i, f) in self.files.iter().enumerate() {
            validate::not_empty(&f.media_url, format!("body.file.files[{i}].mediaUrl"))?;
            validate::not_empty(&f.content_type, format!("body.file.files[{i}].contentType"))?;
        }
        validate_actions(&self.actions, "body.file")
    }
}

impl Location {
    pub(super) fn validate(&self) -> Result<(), ValidationError> {
        let c = self.coordinates;
        if !(-90.0..=90.0).contains(&c.latitude) {
            return Err(ValidationError::new(
                "body.location.coordinates.latitude",
                format!("{} is outside -90..=90", c.latitude),
            ));
        }
        if !(-180.0..=180.0).contains(&c.longitude) {
            return Err(ValidationError::new(
                "body.location.coordinates.longitude",
                format!("{} is outside -180..=180", c.longitude),
            ));
        }
        Ok(())
    }
}
