// A browser's cookie jar for server tests: tough-cookie (jsdom's RFC 6265 implementation, an
// independent parser of our Set-Cookie headers) behind two calls.
import { CookieJar } from 'tough-cookie';

/** One origin's cookies as a browser keeps them. */
export class BrowserJar {
  readonly jar = new CookieJar();
  constructor(readonly url = 'https://app.example.com/') {}

  /** Applies Set-Cookie headers as the browser would on a response from `url`. */
  receive(headers: readonly string[], url = this.url): void {
    for (const header of headers) this.jar.setCookieSync(header, url);
  }

  /** The Cookie header the browser sends to `url` (HttpOnly cookies included). */
  header(url = this.url): string {
    return this.jar.getCookieStringSync(url);
  }

  /** What `document.cookie` shows a page at `url` (no HttpOnly cookies). */
  documentCookie(url = this.url): string {
    return this.jar.getCookieStringSync(url, { http: false });
  }

  /** fetch() with this jar's cookies; the response's Set-Cookie headers land in the jar. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers });
    this.receive(response.headers.getSetCookie(), url);
    return response;
  }

  /** The names of the cookies the browser keeps for `url`. */
  names(url = this.url): string[] {
    return this.jar.getCookiesSync(url).map((cookie) => decodeURIComponent(cookie.key));
  }
}
