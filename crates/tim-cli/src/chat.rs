//! `tim chat`: a terminal chat. Each line typed is sent to the peer (or group); each message
//! that arrives in that conversation is printed as `<sender>: <text>`. End of input logs out.

use crate::CliError;
use crate::connect::ClientArgs;
use std::io::Write;
use tim_rs::{Conversation, Event, Events, Message, NetworkStatus};
use tokio::io::{AsyncBufReadExt, BufReader};

/// `tim chat` flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ChatArgs {
    /// Who chats, and where.
    #[command(flatten)]
    pub client: ClientArgs,
    /// Chat one-to-one with this user.
    #[arg(long, conflicts_with = "group", required_unless_present = "group")]
    pub peer: Option<String>,
    /// Chat in this group.
    #[arg(long)]
    pub group: Option<String>,
    /// Print this many earlier messages first.
    #[arg(long, default_value_t = 0)]
    pub history: u32,
}

/// Runs the chat until standard input ends.
pub async fn run(args: &ChatArgs) -> Result<(), CliError> {
    let (client, mut events) = args.client.log_in().await?;
    let conversation = match (&args.peer, &args.group) {
        (Some(peer), _) => client.c2c(peer),
        (None, Some(group)) => client.group_conversation(group),
        (None, None) => return Err(CliError::usage("pass --peer or --group")),
    }
    .map_err(|err| CliError::usage(err.to_string()))?;
    if args.history > 0 {
        let mut earlier = conversation
            .history(args.history)
            .await
            .map_err(|err| CliError::failed(err.to_string()))?;
        earlier.reverse();
        for message in &earlier {
            print_message(message);
        }
    }
    say(&format!(
        "chatting with {} as {}; type a line to send it, end input to quit",
        conversation.id(),
        args.client.user
    ));
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => send_line(&conversation, &line).await,
                Ok(None) => break,
                Err(err) => return Err(CliError::failed(format!("reading input: {err}"))),
            },
            event = events.next() => match event {
                Some(event) => show(&conversation, event),
                None => break,
            },
        }
    }
    drain(&conversation, &mut events);
    client
        .logout()
        .await
        .map_err(|err| CliError::failed(err.to_string()))
}

async fn send_line(conversation: &Conversation, line: &str) {
    let text = line.trim_end();
    if text.is_empty() {
        return;
    }
    match conversation.send_text(text).await {
        Ok(message) => say(&format!("(sent, seq {})", message.seq)),
        Err(err) => say(&format!("(not sent: {err})")),
    }
}

/// Prints what already arrived before quitting.
fn drain(conversation: &Conversation, events: &mut Events) {
    while let Some(event) = events.try_next() {
        show(conversation, event);
    }
}

fn show(conversation: &Conversation, event: Event) {
    match event {
        Event::NewMessages(messages) => {
            let id = conversation.id().id();
            for message in messages
                .iter()
                .filter(|m| m.conv_id == id && !m.is_from_self)
            {
                print_message(message);
            }
        }
        Event::NetworkStatus { status, desc, .. } => match status {
            NetworkStatus::Connected => say("(connected)"),
            NetworkStatus::Connecting => say("(connecting...)"),
            _ => say(&format!("(disconnected: {desc})")),
        },
        Event::KickedOffline => say("(logged out: this account logged in elsewhere)"),
        Event::UserSigExpired => say("(logged out: the UserSig expired)"),
        _ => {}
    }
}

fn print_message(message: &Message) {
    let text = tim_rs::text_of(message);
    let text = if text.is_empty() {
        "[non-text message]".to_owned()
    } else {
        text
    };
    say(&format!("{}: {text}", message.sender));
}

/// One line on standard output, flushed at once (the chat is read as it happens).
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}
