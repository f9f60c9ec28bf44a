//! Peer read times: forward only, marking own C2C messages peer-read up to the time, and own
//! messages stored later at or before the time are stored peer-read.

use crate::common::*;
use tim_model::Message;

fn own(msg_id: &str, time: u64, seq: u64) -> Message {
    Message {
        is_from_self: true,
        sender: "me".into(),
        ..text(msg_id, time, seq)
    }
}

fn peer_read(store: &tim_store::Store, msg_id: &str) -> bool {
    store.get_messages(&[id(msg_id)]).unwrap()[0].is_peer_read
}

#[test]
fn a_peer_read_time_marks_own_messages_up_to_it_and_later_ones_when_stored() {
    let (dir, store) = open_temp();
    let conv = c2c("bob");
    store
        .put_messages(
            &conv,
            &[
                own("a", 100, 1),
                text("theirs", 150, 2),
                own("b", 200, 3),
                own("c", 300, 4),
            ],
        )
        .unwrap();
    assert_eq!(store.peer_read_time(&conv).unwrap(), 0);
    let changed = store.mark_peer_read(&conv, 200).unwrap();
    assert_eq!(ids(&changed), ["b", "a"]);
    assert!(peer_read(&store, "a") && peer_read(&store, "b"));
    assert!(!peer_read(&store, "c") && !peer_read(&store, "theirs"));
    // Behind the stored time: the time stays, nothing changes.
    assert!(store.mark_peer_read(&conv, 150).unwrap().is_empty());
    assert_eq!(store.peer_read_time(&conv).unwrap(), 200);
    // An own message stored later at the read time is stored peer-read; a later one is not.
    store
        .put_messages(&conv, &[own("late", 200, 5), own("after", 400, 6)])
        .unwrap();
    assert!(peer_read(&store, "late"));
    assert!(!peer_read(&store, "after"));
    // Groups are not affected; the time survives a reopen.
    drop(store);
    let store = reopen(&dir);
    assert_eq!(store.peer_read_time(&conv).unwrap(), 200);
    assert_eq!(
        ids(&store.mark_peer_read(&conv, 400).unwrap()),
        ["after", "c"]
    );
    assert!(store.mark_peer_read(&group("g"), 400).unwrap().is_empty());
}
