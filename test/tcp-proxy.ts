// Tests only: the TCP proxy of the fault scripts (one implementation), for data-layer tests.
export { tcpProxy, type TcpProxy } from "../scripts/faults/tcp-proxy";
