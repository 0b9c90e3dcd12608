//! The documented answers made wrong one member at a time.

/// Every way one member of `document` can differ from what the vendor
/// documents, one at a time: each member of each object, at any depth
/// (inside arrays too), removed, and replaced by a value of another JSON
/// type. Each comes with a description (the member's path and what was
/// done to it).
pub fn member_mutations(document: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    use serde_json::Value;
    fn other_type(v: &Value) -> Value {
        match v {
            Value::String(_) => Value::from(7),
            Value::Number(_) | Value::Bool(_) | Value::Null => Value::from("x"),
            Value::Array(_) => Value::from(true),
            Value::Object(_) => Value::from(["x"].as_slice()),
        }
    }
    fn walk(v: &Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, &'static str)>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    path.push(Step::Key(k.clone()));
                    out.push((path.clone(), "removed"));
                    out.push((path.clone(), "of another type"));
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    #[derive(Clone)]
    enum Step {
        Key(String),
        Index(usize),
    }
    fn apply(doc: &mut Value, path: &[Step], how: &str) {
        let (last, parent) = path.split_last().expect("a member path");
        let mut node = doc;
        for step in parent {
            node = match step {
                Step::Key(k) => &mut node[k.as_str()],
                Step::Index(i) => &mut node[*i],
            };
        }
        let (Step::Key(key), Some(map)) = (last, node.as_object_mut()) else {
            return;
        };
        if how == "removed" {
            map.remove(key);
        } else if let Some(v) = map.get_mut(key) {
            *v = other_type(v);
        }
    }
    let mut paths = Vec::new();
    walk(document, &mut Vec::new(), &mut paths);
    paths
        .into_iter()
        .map(|(path, how)| {
            let mut mutated = document.clone();
            apply(&mut mutated, &path, how);
            let shown: String = path
                .iter()
                .map(|s| match s {
                    Step::Key(k) => format!(".{k}"),
                    Step::Index(i) => format!("[{i}]"),
                })
                .collect();
            (format!("{shown} {how}"), mutated)
        })
        .collect()
}
