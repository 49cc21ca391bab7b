import { expect, test } from 'vitest'
import type { FlowSet } from '../client/api'
import { flowThumbnails, screenshotUrl, thumbnailName } from './thumbnails'

test('thumbnail names mirror discovery', () => {
  expect(thumbnailName('/products/{num}')).toBe('products_num.png')
  expect(thumbnailName('/')).toBe('home.png')
  expect(screenshotUrl(3, 'a b.png')).toBe('/api/v1/runs/3/screenshots/a%20b.png')
})

const doc = (name: string) => ({ name, method: 'GET', url: name.slice(4), kind: 'document' }) as FlowSet['flows'][number]['steps'][number]
const flow = (name: string, ...steps: string[]) => ({ name, weight: 1, steps: steps.map(doc) }) as FlowSet['flows'][number]

test('each flow gets the thumbnail of the page it is about, if one was taken', () => {
  const flowset = { flows: [flow('browse /products/{num}', 'GET /', 'GET /products/{num}'), flow('click Buy on /cart', 'GET /cart'),
    flow('search', 'GET /search'), flow('api', 'GET /about')] } as FlowSet
  const got = flowThumbnails(flowset, ['/tmp/runs/1/screenshots/products_num.png', '/tmp/x/home.png', '/tmp/x/about.png'])
  expect(got.get('browse /products/{num}')).toEqual({ name: 'products_num.png', pattern: '/products/{num}' })
  expect(got.has('click Buy on /cart')).toBe(false)
  expect(got.has('search')).toBe(false)
  expect(got.get('api')?.pattern).toBe('/about')
})
