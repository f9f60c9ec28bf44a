//! The world the cells of the permission matrix start from, and the actors who send the
//! requests.
//!
//! Every fixture (one per cell of an isolated row, one per shared row) is built on the one
//! server under its own prefix for user and group names (app B's user has the prefix too, so
//! it is named like app A's member): no request on one fixture can change what another
//! fixture's actors find, and no per-user or per-group rate limit is shared between them.

use crate::common::*;
use std::collections::HashMap;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

/// The second app on the server: a stranger to everything of app A.
pub const APP_B: u64 = 1_400_000_002;
pub const KEY_B: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// Text of the member's messages in group `g` (the plain one and the one inside the bundle).
pub const GROUP_SECRET: &str = "group-secret";
/// Text of the owner's message to the peer.
pub const C2C_SECRET: &str = "c2c-secret";
/// Text of x's message to y.
pub const PAIR_SECRET: &str = "pair-secret";

/// Who sends the request. Declared in column order: `actor as usize` is its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// Created `g`; one side of the C2C conversation with the peer.
    Owner,
    /// Made an admin of `g` at creation.
    Admin,
    /// An ordinary member of `g`; sent its messages.
    Member,
    /// Added to `g` at creation, then removed (before the group's messages were sent).
    Former,
    /// Never a member of anything.
    Stranger,
    /// The other side of the owner's C2C conversation; not in `g`.
    Peer,
    /// x, who has a conversation with y and nothing to do with the rest.
    OtherPair,
    /// App B's user named like app A's member.
    OtherApp,
    /// A connection that never logged in.
    Anonymous,
}

/// The columns of the matrix, in order.
pub const ACTORS: [Actor; 9] = [
    Actor::Owner,
    Actor::Admin,
    Actor::Member,
    Actor::Former,
    Actor::Stranger,
    Actor::Peer,
    Actor::OtherPair,
    Actor::OtherApp,
    Actor::Anonymous,
];

impl Actor {
    /// The column heading.
    pub fn name(self) -> &'static str {
        match self {
            Actor::Owner => "owner",
            Actor::Admin => "admin",
            Actor::Member => "member",
            Actor::Former => "former",
            Actor::Stranger => "stranger",
            Actor::Peer => "peer",
            Actor::OtherPair => "x (pair)",
            Actor::OtherApp => "app B",
            Actor::Anonymous => "no login",
        }
    }

    /// The markers of the messages this actor may see; any other marker in a successful
    /// answer is a leak.
    pub fn may_see(self, marker: &str) -> bool {
        match marker {
            GROUP_SECRET => matches!(self, Actor::Owner | Actor::Admin | Actor::Member),
            C2C_SECRET => matches!(self, Actor::Owner | Actor::Peer),
            PAIR_SECRET => self == Actor::OtherPair,
            _ => false,
        }
    }
}

/// The resources of one fixture. Every user and group name starts with its prefix.
pub struct Fixture {
    prefix: String,
    /// Group `g`: Public, anyone may join.
    pub group: String,
    /// The member's text message in `g` (read receipts and extensions enabled).
    pub group_msg: String,
    /// The relay key of the bundle the member's merged message in `g` carries.
    pub bundle_key: String,
    /// The owner's text message to the peer (read receipts and extensions enabled).
    pub c2c_msg: String,
    /// Logged-in connections by actor.
    clients: HashMap<&'static str, TestClient>,
}

impl Fixture {
    /// `name` in this fixture's namespace.
    pub fn user(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// The user `actor` names when a request is aimed at the owner's C2C conversation: the
    /// owner names the peer, everyone else the owner (for anyone but the peer that is another
    /// conversation, which is the point).
    pub fn counterpart(&self, actor: Actor) -> String {
        match actor {
            Actor::Owner => self.user("peer"),
            _ => self.user("owner"),
        }
    }

    pub fn group_conv(&self) -> v1::ConversationId {
        conv(GROUP, &self.group)
    }

    pub fn c2c_conv(&self, actor: Actor) -> v1::ConversationId {
        conv(C2C, &self.counterpart(actor))
    }

    /// The fixture's names without anything on the server: enough for a connection that
    /// never logs in (the bundle key has the right form but names nothing).
    pub fn unbuilt(prefix: String) -> Self {
        Self {
            group: format!("{prefix}g"),
            prefix,
            group_msg: "g-1".into(),
            bundle_key: "0123456789abcdef0123456789abcdef".into(),
            c2c_msg: "c2c-1".into(),
            clients: HashMap::new(),
        }
    }

    /// Builds the fixture on `server` (see [`Actor`] for who is who).
    pub async fn build(server: &TestServer, prefix: String) -> Self {
        let mut fixture = Self::unbuilt(prefix);
        let owner = fixture.login(server, Actor::Owner).await;
        let created = owner
            .request(Request::CreateGroup(v1::CreateGroupRequest {
                group_id: Some(fixture.group.clone()),
                group_type: 0,
                name: "g".into(),
                add_option: 2,
                member_ids: vec![fixture.user("member"), fixture.user("former")],
                admin_ids: vec![fixture.user("admin")],
                ..Default::default()
            }))
            .await;
        assert!(matches!(created, Response::CreateGroup(_)), "{created:?}");
        let removed = owner
            .request(Request::RemoveGroupMembers(v1::RemoveGroupMembersRequest {
                group_id: fixture.group.clone(),
                user_ids: vec![fixture.user("former")],
                reason: String::new(),
            }))
            .await;
        assert_eq!(super::run::outcome(&removed), 0, "{removed:?}");
        let c2c = receipted(&fixture.c2c_msg, C2C_SECRET);
        send_ok(&owner, C2C, &fixture.user("peer"), c2c).await;
        fixture.clients.insert(Actor::Owner.name(), owner);

        let member = fixture.login(server, Actor::Member).await;
        let group_msg = receipted(&fixture.group_msg, GROUP_SECRET);
        send_ok(&member, GROUP, &fixture.group, group_msg).await;
        let inner = v1::Message {
            elems: text_message("inner-1", GROUP_SECRET).elems,
            msg_id: Some("inner-1".into()),
            sender: fixture.user("member"),
            status: Some(2),
            seq: 1,
            server_time: 1_700_000_000,
            ..Default::default()
        };
        let mut merged = text_message("merged-1", "");
        merged.elems = vec![v1::Elem {
            body: Some(v1::elem::Body::Merge(v1::MergeElem {
                title: "history".into(),
                compatible_text: "[history]".into(),
                message_array: vec![inner],
                ..Default::default()
            })),
        }];
        let ack = send_ok(&member, GROUP, &fixture.group, merged).await;
        fixture.bundle_key = ack
            .merge_relay_pb_keys
            .first()
            .cloned()
            .expect("a relay key");
        fixture.clients.insert(Actor::Member.name(), member);

        let x = fixture.login(server, Actor::OtherPair).await;
        let pair = text_message("xy-1", PAIR_SECRET);
        send_ok(&x, C2C, &fixture.user("y"), pair).await;
        fixture.clients.insert(Actor::OtherPair.name(), x);
        fixture
    }

    /// A new connection for `actor`: logged in as their user (app B's for
    /// [`Actor::OtherApp`]), or not logged in at all for [`Actor::Anonymous`].
    async fn login(&self, server: &TestServer, actor: Actor) -> TestClient {
        let (app, key, user) = match actor {
            Actor::Anonymous => return TestClient::connect(server).await,
            Actor::OtherApp => (APP_B, KEY_B, "member"),
            Actor::OtherPair => (APP, KEY, "x"),
            other => (APP, KEY, other.name()),
        };
        let client = TestClient::connect(server).await;
        let response = client
            .request(crate::requests::login(app, self.user(user), (app, key)))
            .await;
        assert!(matches!(response, Response::Login(_)), "{response:?}");
        client
    }

    /// `actor`'s connection (the one made during set-up, if any).
    pub async fn client(&mut self, server: &TestServer, actor: Actor) -> &TestClient {
        if !self.clients.contains_key(actor.name()) {
            let client = self.login(server, actor).await;
            self.clients.insert(actor.name(), client);
        }
        &self.clients[actor.name()]
    }

    /// Closes every connection, so that the server's per-address count stays low.
    pub fn close(self) {
        for client in self.clients.values() {
            client.connection.close(0u32.into(), b"cell done");
        }
    }
}

/// A text message with read receipts and extensions enabled.
fn receipted(msg_id: &str, text: &str) -> v1::Message {
    v1::Message {
        need_read_receipt: true,
        support_message_extension: true,
        ..text_message(msg_id, text)
    }
}

async fn send_ok(
    client: &TestClient,
    conv_type: i32,
    conv_id: &str,
    message: v1::Message,
) -> v1::SendMessageResponse {
    let response = client
        .request(Request::SendMessage(v1::SendMessageRequest {
            conversation: Some(conv(conv_type, conv_id)),
            message: Some(message),
        }))
        .await;
    match response {
        Response::SendMessage(ack) => ack,
        other => panic!("fixture send to {conv_id} failed: {other:?}"),
    }
}
