import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_BODY, bodyRuleFor, LOGIN_BODY } from '../../server/http/body-limits';
import { readBody, readFields, readJson } from '../../server/http/read-body';

/** A request whose body is a stream (no Content-Length, as a chunked upload arrives). */
function streamed(path: string, type: string | null, chunks: number, chunkBytes: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled++ >= chunks) return controller.close();
      controller.enqueue(new Uint8Array(chunkBytes).fill(0x61));
    },
  });
  const headers: Record<string, string> = type ? { 'content-type': type } : {};
  const request = new Request(`http://wf.test${path}`, {
    method: 'POST',
    headers,
    body,
    duplex: 'half',
  } as RequestInit);
  return { request, pulled: () => pulled };
}

describe('the capped body reader', () => {
  it('stops reading at the cap of a chunked body and answers 413', async () => {
    const { request, pulled } = streamed('/api/admin/users', 'application/json', 10_000, 1024);
    await expect(readBody(request)).rejects.toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
    // 64 KiB of 1 KiB chunks, and a few read ahead: never the 10 MB.
    expect(pulled()).toBeLessThan(100);
  });

  it('refuses a content type the route does not parse with 415', async () => {
    const { request } = streamed('/api/admin/users', 'application/x-www-form-urlencoded', 1, 10);
    await expect(readBody(request)).rejects.toMatchObject({ status: 415 });
    const untyped = streamed('/api/admin/users', null, 1, 10).request;
    await expect(readBody(untyped)).rejects.toMatchObject({ status: 415 });
  });

  it('refuses a declared length over the cap before reading', async () => {
    const request = new Request('http://wf.test/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '9000' },
      body: '{}',
    });
    await expect(readBody(request)).rejects.toMatchObject({ status: 413 });
  });

  it('reads JSON and the login form, and an empty body as {}', async () => {
    const json = new Request('http://wf.test/api/commands', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '{"a":1}',
    });
    expect(await readJson(json, z.object({ a: z.number() }))).toEqual({ a: 1 });
    const form = new Request('http://wf.test/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=a%40b&password=x',
    });
    expect(await readFields(form)).toEqual({ email: 'a@b', password: 'x' });
    expect(await readFields(new Request('http://wf.test/api/x', { method: 'POST' }))).toEqual({});
  });

  it('gives the login rule to oddly spelled login paths, and the API cap to everything else', () => {
    expect(bodyRuleFor('/api/auth/login')).toBe(LOGIN_BODY);
    expect(bodyRuleFor('//api//auth/login/')).toBe(LOGIN_BODY);
    expect(bodyRuleFor('/%61pi/auth/login')).toBe(LOGIN_BODY);
    expect(bodyRuleFor('/wall')).toBe(API_BODY);
  });
});
