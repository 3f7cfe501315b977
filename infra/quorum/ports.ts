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
} as const;
// Tessera's Q2T API (geth to its own Tessera) has no port: it is a Unix socket (`manifests/paths.ts`).
