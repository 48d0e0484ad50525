import { expect, test } from './fixtures';

test('GET /health answers 200', async ({ request }) => {
  const res = await request.get('/health');
  expect(res.status()).toBe(200);
});
