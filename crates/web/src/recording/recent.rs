//! Children as this server's own latest saves left them, until the model has folded those saves
//! in. The model takes a moment to catch up (its index is rebuilt), and a save or a read that
//! follows another at once must see it; this is what lets them, without waiting.

use domain::model::Child;
use domain::{ChildId, Model, StreamId};
use rustc_hash::FxHashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct Recent(Mutex<FxHashMap<ChildId, (u32, Child)>>);

impl Recent {
    /// The child and their version, from whichever of the model and this server's saves is
    /// later.
    pub fn child(&self, model: &Model, id: ChildId) -> Option<(u32, Child)> {
        let in_model = model.version(StreamId::Child(id));
        let mut recent = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match recent.get(&id) {
            Some((version, child)) if *version > in_model => Some((*version, child.clone())),
            Some(_) => {
                recent.remove(&id);
                model.child(id).map(|c| (in_model, c.clone()))
            }
            None => model.child(id).map(|c| (in_model, c.clone())),
        }
    }

    /// Keeps a child as a save left them, unless a later save is already kept.
    pub fn keep(&self, id: ChildId, version: u32, child: Child) {
        let mut recent = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if recent.get(&id).is_none_or(|(v, _)| *v < version) {
            recent.insert(id, (version, child));
        }
    }

    /// The number after every child known to the model or saved here.
    pub fn next_child_id(&self, model: &Model) -> ChildId {
        let recent = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let most = model
            .children
            .keys()
            .chain(recent.keys())
            .map(|c| c.0)
            .max()
            .unwrap_or(0);
        ChildId(most + 1)
    }

    /// Forgets the children the model has caught up with.
    pub fn forget_seen(&self, model: &Model) {
        let mut recent = self.0.lock().unwrap_or_else(|e| e.into_inner());
        recent.retain(|id, (v, _)| *v > model.version(StreamId::Child(*id)));
    }
}
