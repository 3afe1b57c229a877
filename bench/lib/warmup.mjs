/**
 * Sends a few streaming requests so the mock's JIT has compiled its hot paths before the
 * first measured client arrives; otherwise whichever client runs first pays for it.
 */
export async function warmUpMock(
  baseUrl,
  { requests = 200, concurrency = 32, model = 'step-3.7-flash' } = {},
) {
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      next++;
      const res = await fetch(`${baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer warmup', 'content-type': 'application/json' },
        body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'warm up' }] }),
      });
      await res.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
