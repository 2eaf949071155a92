//! QGIS styles of the zoning GeoPackage (the `layer_styles` table QGIS reads a
//! layer's default style from): level zones categorized on `level` with their
//! scheme's colours and names (DESIGN.md §4), unit outlines without fill.

use riskcensus_core::LevelScheme;

fn qml_fill(rgb: [u8; 3], outline: &str) -> String {
    format!(
        r#"<symbol type="fill" alpha="1" clip_to_extent="1" force_rhr="0" name="{{NAME}}"><layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="color" value="{},{},{},255"/><Option type="QString" name="outline_color" value="{outline}"/><Option type="QString" name="outline_style" value="solid"/><Option type="QString" name="outline_width" value="0.1"/><Option type="QString" name="style" value="solid"/></Option></layer></symbol>"#,
        rgb[0], rgb[1], rgb[2]
    )
}

/// A QGIS categorized style on `level` with the scheme's colours and names.
pub fn level_qml(scheme: &LevelScheme) -> String {
    let mut cats = String::new();
    let mut syms = String::new();
    for (i, c) in scheme.classes().iter().enumerate() {
        cats.push_str(&format!(
            r#"<category value="{}" symbol="{i}" label="{} {}" render="true"/>"#,
            c.code, c.name_zh, c.name_en
        ));
        syms.push_str(&qml_fill(c.rgb, "90,90,90,255").replace("{NAME}", &i.to_string()));
    }
    format!(
        r#"<qgis version="3.28.0" styleCategories="Symbology"><renderer-v2 type="categorizedSymbol" attr="level" symbollevels="0" enableorderby="0" forceraster="0"><categories>{cats}</categories><symbols>{syms}</symbols></renderer-v2></qgis>"#
    )
}

/// Points categorized on `level` with the scheme's colours and names (circles).
pub fn point_level_qml(scheme: &LevelScheme) -> String {
    let mut cats = String::new();
    let mut syms = String::new();
    for (i, c) in scheme.classes().iter().enumerate() {
        cats.push_str(&format!(
            r#"<category value="{}" symbol="{i}" label="{} {}" render="true"/>"#,
            c.code, c.name_zh, c.name_en
        ));
        syms.push_str(&format!(
            r#"<symbol type="marker" alpha="1" clip_to_extent="1" force_rhr="0" name="{i}"><layer class="SimpleMarker" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="color" value="{},{},{},255"/><Option type="QString" name="name" value="circle"/><Option type="QString" name="outline_color" value="40,40,40,255"/><Option type="QString" name="size" value="3"/></Option></layer></symbol>"#,
            c.rgb[0], c.rgb[1], c.rgb[2]
        ));
    }
    format!(
        r#"<qgis version="3.28.0" styleCategories="Symbology"><renderer-v2 type="categorizedSymbol" attr="level" symbollevels="0" enableorderby="0" forceraster="0"><categories>{cats}</categories><symbols>{syms}</symbols></renderer-v2></qgis>"#
    )
}

/// The style of a delivered table, when it names one and the vocabulary has its
/// scheme.
pub fn deliverable_qml(
    d: &crate::deliverable::Deliverable,
    vocabulary: &riskcensus_models::Vocabulary,
) -> Option<String> {
    use crate::deliverable::Style;
    match d.style.as_ref()? {
        Style::LevelScheme(id) => vocabulary.scheme(id).map(level_qml),
        Style::PointScheme(id) => vocabulary.scheme(id).map(point_level_qml),
    }
}

/// Township outlines: no fill, dark outline.
pub fn township_qml() -> String {
    r#"<qgis version="3.28.0" styleCategories="Symbology"><renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0"><symbols><symbol type="fill" alpha="1" clip_to_extent="1" force_rhr="0" name="0"><layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map"><Option type="QString" name="color" value="0,0,0,0"/><Option type="QString" name="outline_color" value="40,40,40,255"/><Option type="QString" name="outline_width" value="0.4"/><Option type="QString" name="style" value="no"/></Option></layer></symbol></symbols></renderer-v2></qgis>"#.to_string()
}

/// Village outlines: no fill, thin grey outline.
pub fn village_qml() -> String {
    township_qml()
        .replace("40,40,40,255", "120,120,120,255")
        .replace(
            r#"name="outline_width" value="0.4""#,
            r#"name="outline_width" value="0.15""#,
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_style_names_every_level_with_its_colour() {
        let q = level_qml(
            riskcensus_models::Vocabulary::shipped()
                .scheme("risk5")
                .unwrap(),
        );
        assert!(
            q.contains(r#"value="215,25,28,255""#) && q.contains(r#"value="26,150,65,255""#),
            "{q}"
        );
        assert!(q.contains("高风险") && q.contains(r#"attr="level""#));
        assert_eq!(q.matches("<category ").count(), 5);
    }
}
