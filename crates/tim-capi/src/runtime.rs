//! The SDK's global state between `TIMInit` and `TIMUninit`: the tokio runtime this crate owns,
//! the SDK callback thread, and the one `tim_rs::Client`.
//!
//! Contract: the state lock is held only to install, take or clone the state, never across
//! waiting or a callback; `TIMUninit` stops the runtime and the SDK thread and releases
//! everything, and `TIMInit` afterwards starts afresh.

use crate::dispatch::{Dispatcher, LoginGate, SdkThread};
use crate::events;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tim_model::SdkConfig;
use tim_model::codes::result::{TIM_ERR_JSON, TIM_ERR_PARAM, TIM_ERR_SDKUNINIT, TIM_SUCC};
use tim_rs::{Client, ClientConfig, ServerTrust};
use tokio::runtime::{Handle, Runtime};

/// The server when neither the config nor `TIM_SERVER_ADDRESS` names one (`tim serve`'s
/// default listener).
pub const DEFAULT_SERVER_ADDRESS: &str = "127.0.0.1:9000";
/// The server certificate when neither the config nor `TIM_SERVER_CERT` gives one (where
/// `tim serve` writes it by default).
pub const DEFAULT_SERVER_CERTIFICATE: &str = "tim-data/cert.pem";
/// The data directory when `sdk_config_config_file_path` is absent (Tencent's folder name).
pub const DEFAULT_DATA_DIR: &str = "com_tencent_imsdk_data";
/// Environment variable supplying `sdk_config_server_address`.
pub const ENV_SERVER_ADDRESS: &str = "TIM_SERVER_ADDRESS";
/// Environment variable supplying `sdk_config_server_certificate`.
pub const ENV_SERVER_CERT: &str = "TIM_SERVER_CERT";

/// How long `TIMUninit` lets runtime tasks finish before dropping them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What an export works with while the SDK is initialised.
pub struct Sdk {
    /// The client of this process (one user at a time).
    pub client: Client,
    /// Where async work runs.
    pub runtime: Handle,
    /// Where callbacks run.
    pub dispatcher: Dispatcher,
    /// A `TIMLogin` is under way (`kTIMLoginStatus_Logining`).
    pub logging_in: AtomicBool,
    /// Holds events behind the callback of a login under way.
    pub gate: Arc<LoginGate>,
}

/// The initialised SDK and what only `TIMUninit` touches.
struct Running {
    sdk: Arc<Sdk>,
    runtime: Runtime,
    thread: SdkThread,
}

static STATE: Mutex<Option<Running>> = Mutex::new(None);

fn state() -> std::sync::MutexGuard<'static, Option<Running>> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The SDK, or `TIM_ERR_SDKUNINIT` before `TIMInit` / after `TIMUninit`.
pub fn current() -> Result<Arc<Sdk>, i32> {
    state()
        .as_ref()
        .map(|running| Arc::clone(&running.sdk))
        .ok_or(TIM_ERR_SDKUNINIT)
}

/// `TIMInit`: starts the runtime, the SDK thread and the client. A second call while
/// initialised succeeds and changes nothing.
pub fn init(sdk_app_id: u64, json_sdk_config: Option<&str>) -> i32 {
    if sdk_app_id == 0 {
        return TIM_ERR_PARAM;
    }
    let config = match client_config(sdk_app_id, json_sdk_config) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let mut state = state();
    if state.is_some() {
        return TIM_SUCC;
    }
    match start(config) {
        Ok(running) => {
            *state = Some(running);
            TIM_SUCC
        }
        Err(code) => code,
    }
}

fn start(config: ClientConfig) -> Result<Running, i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tim-runtime")
        .enable_all()
        .build()
        .map_err(|_| TIM_ERR_PARAM)?;
    let client = {
        let _context = runtime.enter();
        Client::new(config).map_err(|_| TIM_ERR_PARAM)?
    };
    let (thread, dispatcher) = SdkThread::start().map_err(|_| TIM_ERR_PARAM)?;
    let gate = Arc::new(LoginGate::default());
    runtime.spawn(events::forward(
        client.clone(),
        client.events(),
        dispatcher.clone(),
        Arc::clone(&gate),
    ));
    crate::log::start(dispatcher.clone());
    let sdk = Arc::new(Sdk {
        client,
        runtime: runtime.handle().clone(),
        dispatcher,
        logging_in: AtomicBool::new(false),
        gate,
    });
    Ok(Running {
        sdk,
        runtime,
        thread,
    })
}

/// `TIMUninit`: closes the session (without telling the server, as a process exit would),
/// stops the runtime (unfinished calls get their callback with 6013), runs what the SDK thread
/// has queued and stops it, and forgets the registered event callbacks.
pub fn uninit() -> i32 {
    let Some(running) = state().take() else {
        return TIM_ERR_SDKUNINIT;
    };
    let Running {
        sdk,
        runtime,
        thread,
    } = running;
    sdk.dispatcher.end();
    let client = sdk.client.clone();
    runtime.block_on(async move { client.core().close().await });
    runtime.shutdown_timeout(SHUTDOWN_GRACE);
    crate::log::stop();
    drop(sdk);
    events::clear();
    crate::setters::clear();
    crate::conv_events::clear();
    thread.join();
    TIM_SUCC
}

/// The client configuration from `json_sdk_config` (NULL/"" = all defaults), with the
/// environment filling in the server when the JSON does not name it.
pub fn client_config(sdk_app_id: u64, json: Option<&str>) -> Result<ClientConfig, i32> {
    let sdk: SdkConfig = match json {
        None => SdkConfig::default(),
        Some(text) => tim_model::json::from_str(text).map_err(|_| TIM_ERR_JSON)?,
    };
    let setting = |value: String, env: &str, default: &str| {
        Some(value)
            .filter(|value| !value.trim().is_empty())
            .or_else(|| std::env::var(env).ok().filter(|v| !v.trim().is_empty()))
            .unwrap_or_else(|| default.to_owned())
    };
    let address = setting(
        sdk.server_address,
        ENV_SERVER_ADDRESS,
        DEFAULT_SERVER_ADDRESS,
    );
    let certificate = setting(
        sdk.server_certificate,
        ENV_SERVER_CERT,
        DEFAULT_SERVER_CERTIFICATE,
    );
    let trust = ServerTrust::parse(&certificate).map_err(|_| TIM_ERR_PARAM)?;
    let data_dir = Some(sdk.config_file_path)
        .filter(|path| !path.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_DATA_DIR.to_owned());
    Ok(ClientConfig::new(address, trust, sdk_app_id, data_dir))
}
