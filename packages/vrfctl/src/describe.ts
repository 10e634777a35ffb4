import { messageToJson } from '@vrfctl/rtnetlink';

/** One readable line for a request a dry run would send: the decoded JSON form. */
export function describeRequest(bytes: Buffer): string {
  return JSON.stringify(messageToJson(bytes));
}
