// Preloaded with `node --import`: every TCP server of the network listens on 127.0.0.1 only.
// The AT Protocol reference services listen on all interfaces by default; a test network
// must never be reachable from outside this machine.
import net from 'node:net'

const LOOPBACK = '127.0.0.1'
const listen = net.Server.prototype.listen

function onLoopback(args) {
  const [first, ...rest] = args
  if (first !== null && typeof first === 'object') {
    // listen(options): unix sockets and inherited handles have no host to pin.
    if (first.path !== undefined || first.fd !== undefined || first.handle !== undefined) {
      return args
    }
    if ('_handle' in first) return args // listen(handle)
    return [{ ...first, host: LOOPBACK }, ...rest]
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return args // a unix socket path
  if (first == null || typeof first === 'function') {
    return [0, LOOPBACK, ...args.slice(typeof first === 'function' ? 0 : 1)]
  }
  // listen(port[, host][, backlog][, callback]): replace the host or put one in.
  const hostGiven = rest.length > 0 && (typeof rest[0] === 'string' || rest[0] == null)
  return [first, LOOPBACK, ...(hostGiven ? rest.slice(1) : rest)]
}

net.Server.prototype.listen = function listenOnLoopback(...args) {
  return listen.apply(this, onLoopback(args))
}
