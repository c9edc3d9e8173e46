/**
 * Set up for every test file (jest `setupFilesAfterEnv`): removes the temp
 * directories it made once its tests are done.
 */
import { removeTestDirs } from './temp-dirs.js'

afterAll(() => {
  removeTestDirs()
})
