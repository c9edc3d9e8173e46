/** nock for a test file: no real connection, nothing left between tests. */
import nock from 'nock'

/** Registers the hooks; call once at the top of a test file. */
export function useNockOffline(): void {
  beforeAll(() => nock.disableNetConnect())
  afterEach(() => {
    nock.abortPendingRequests()
    nock.cleanAll()
  })
  afterAll(() => {
    nock.enableNetConnect()
    nock.restore()
  })
}
