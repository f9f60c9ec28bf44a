//! Receive options: TIMMsgSetC2CReceiveMessageOpt, TIMMsgGetC2CReceiveMessageOpt,
//! TIMMsgSetGroupReceiveMessageOpt.
