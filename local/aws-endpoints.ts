import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body';

/**
 * The three AWS services npm start has no emulator for, answered by one local
 * HTTP server that the bundles reach through AWS_ENDPOINT_URL_SES,
 * AWS_ENDPOINT_URL_SNS and AWS_ENDPOINT_URL_SSM, as unchanged Lambda code would
 * reach the real ones:
 * - SES v1 SendEmail over the query protocol (form body, XML answer;
 *   https://docs.aws.amazon.com/ses/latest/APIReference/API_SendEmail.html):
 *   recorded in the outbox, answered with a MessageId. Nothing is delivered.
 * - SNS Publish to a PhoneNumber, query protocol
 *   (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): recorded,
 *   answered with a MessageId. Nothing is delivered.
 * - SSM GetParameter over JSON 1.1 (`X-Amz-Target: AmazonSSM.GetParameter`;
 *   https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html):
 *   the template's parameters with their local values; any other name fails
 *   with ParameterNotFound.
 * Not modelled: signatures and IAM (any caller may call), SES identities,
 * sandbox and sending quotas, SNS spending limits and opt-outs, every other
 * operation (answered with a 400 naming it).
 */
export interface OutboxMessage {
  readonly channel: 'EMAIL' | 'SMS';
  readonly to: string;
  readonly subject?: string;
  readonly text: string;
  readonly sentAt: string;
}

export interface LocalAwsEndpoints {
  readonly endpoint: string;
  /** Every email and SMS sent, oldest first. */
  readonly outbox: readonly OutboxMessage[];
  stop(): Promise<void>;
}

class ServiceFault extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startLocalAwsEndpoints(parameters: ReadonlyMap<string, string>): Promise<LocalAwsEndpoints> {
  const outbox: OutboxMessage[] = [];

  function sendEmail(form: URLSearchParams): string {
    const text = form.get('Message.Body.Text.Data') ?? form.get('Message.Body.Html.Data');
    const subject = form.get('Message.Subject.Data') ?? undefined;
    const recipients = [...form.entries()].filter(([name]) => /^Destination\.ToAddresses\.member\.\d+$/.test(name)).map(([, to]) => to);
    if (!form.get('Source') || text === null || recipients.length === 0) {
      throw new ServiceFault('InvalidParameterValue', 'SendEmail needs Source, a recipient and a body.');
    }
    const sentAt = new Date().toISOString();
    for (const to of recipients) outbox.push({ channel: 'EMAIL', to, ...(subject !== undefined && { subject }), text, sentAt });
    return queryAnswer('SendEmail', 'http://ses.amazonaws.com/doc/2010-12-01/');
  }

  function publish(form: URLSearchParams): string {
    const to = form.get('PhoneNumber');
    const text = form.get('Message');
    if (!to || text === null) throw new ServiceFault('InvalidParameter', 'Publish here takes a PhoneNumber and a Message.');
    outbox.push({ channel: 'SMS', to, text, sentAt: new Date().toISOString() });
    return queryAnswer('Publish', 'http://sns.amazonaws.com/doc/2010-03-31/');
  }

  function getParameter(input: { Name?: unknown }): string {
    const name = typeof input.Name === 'string' ? input.Name : '';
    const value = parameters.get(name);
    if (value === undefined) throw new ServiceFault('ParameterNotFound', 'Parameter not found.');
    return JSON.stringify({ Parameter: { Name: name, Type: 'String', Value: value, Version: 1, DataType: 'text' } });
  }

  const server = http.createServer((request, response) => {
    void (async () => {
      const body = (await readBody(request)).toString('utf8');
      const target = request.headers['x-amz-target'];
      try {
        if (target === 'AmazonSSM.GetParameter') {
          const answer = getParameter(JSON.parse(body) as { Name?: unknown });
          response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' }).end(answer);
          return;
        }
        if (typeof target === 'string') throw new ServiceFault('UnknownOperationException', `${target} is not answered locally.`);
        const form = new URLSearchParams(body);
        const action = form.get('Action');
        const answer = action === 'SendEmail' ? sendEmail(form) : action === 'Publish' ? publish(form) : undefined;
        if (answer === undefined) throw new ServiceFault('InvalidAction', `${action ?? 'This action'} is not answered locally.`);
        response.writeHead(200, { 'Content-Type': 'text/xml' }).end(answer);
      } catch (error) {
        const fault = error instanceof ServiceFault ? error : new ServiceFault('InternalFailure', 'The local endpoint failed.');
        if (typeof target === 'string') {
          response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
          response.end(JSON.stringify({ __type: fault.code, message: fault.message }));
        } else {
          response.writeHead(400, { 'Content-Type': 'text/xml' });
          response.end(
            `<ErrorResponse><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${fault.message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
          );
        }
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    outbox,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The query protocol's answer: <Action>Response with a MessageId result and the request id. */
function queryAnswer(action: string, namespace: string): string {
  return (
    `<${action}Response xmlns="${namespace}"><${action}Result><MessageId>${randomUUID()}</MessageId></${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}
