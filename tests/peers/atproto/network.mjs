// Starts a complete local AT Protocol network (PLC directory, reference PDS, AppView with its
// PostgreSQL and Redis, moderation service) for the Bluesky connector's tests.
//
// Environment: DB_POSTGRES_URL, REDIS_HOST (read by @atproto/dev-env itself), TSQ_SCHEMA (a
// fresh schema name of letters and underscores), optional TSQ_PORT_* for fixed ports (free
// ones otherwise). Prints one line `READY {json}` when every service answers, and closes the
// network on SIGTERM or SIGINT. Loopback only: run it with `--import ./loopback.mjs`.
import { TestNetwork } from '@atproto/dev-env'

// Only ports that were asked for: dev-env spreads these objects over its own defaults, so a
// key with the value undefined would wipe out the free port it picked.
const port = (name) => {
  const raw = process.env[`TSQ_PORT_${name}`]
  return raw ? { port: Number(raw) } : {}
}
const schema = process.env.TSQ_SCHEMA
if (!schema || !/^[a-z_]+$/.test(schema)) {
  console.error('TSQ_SCHEMA must be letters and underscores only')
  process.exit(2)
}

const network = await TestNetwork.create({
  dbPostgresSchema: schema,
  plc: { ...port('PLC') },
  pds: { ...port('PDS'), hostname: 'localhost' },
  bsky: { ...port('APPVIEW') },
  ozone: {
    ...port('OZONE'),
    // The chat service is not part of the network; ozone only needs an address for it.
    chatUrl: 'http://127.0.0.1:9',
    chatDid: 'did:example:chat',
  },
})

let closing = false
const close = async (signal) => {
  if (closing) return
  closing = true
  console.log(`closing on ${signal}`)
  // Bounded: a service that hangs on close must not keep the test run waiting.
  const timer = setTimeout(() => process.exit(1), 15000)
  try {
    await network.close()
  } catch (err) {
    console.error('close failed', err)
  }
  clearTimeout(timer)
  process.exit(0)
}
process.on('SIGTERM', () => close('SIGTERM'))
process.on('SIGINT', () => close('SIGINT'))
// The test run holds our stdin open; when it dies without stopping us (killed, crashed), the
// pipe closes and the network goes with it instead of running on unattended.
process.stdin.on('close', () => close('end of stdin'))
process.stdin.resume()

console.log(
  'READY ' +
    JSON.stringify({
      pds: network.pds.url,
      appview: network.bsky.url,
      plc: network.plc.url,
      ozone: network.ozone.url,
      schema,
    }),
)
