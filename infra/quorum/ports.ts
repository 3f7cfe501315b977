/** Every port the network uses, defined once. */
export const PORTS = {
  /** GoQuorum devp2p/RLPx (TCP only: discovery is off). */
  p2p: 30303,
  /** GoQuorum JSON-RPC over HTTP. */
  rpcHttp: 8545,
  /** GoQuorum JSON-RPC over WebSocket. */
  rpcWs: 8546,
  /** GoQuorum Prometheus metrics (`/debug/metrics/prometheus`). */
  metrics: 9545,
  /** Tessera peer-to-peer API. */
  tesseraP2p: 9000,
  /** Tessera third-party API (clients sending private transactions). */
  tesseraThirdParty: 9080,
  /** Tessera Q2T API (GoQuorum to its own Tessera, localhost only). */
  tesseraQ2t: 9101,
} as const;
