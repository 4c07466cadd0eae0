import requestTemplate from '../../../template/subscriptionRequest.hbs';
import { Translate } from '../../i18n';
import { Account } from '../../model/Account';
import { renderElement } from '../templates';

/**
 * Pending incoming subscription requests (ui-contract: a `listitem` with the requester's JID and
 * buttons `Accept` and `Decline`). Answers go to the account; the model removes the request.
 */
export class RequestList {
  constructor(
    private readonly list: HTMLUListElement,
    private readonly t: Translate,
  ) {}

  render(accounts: Account[]): void {
    const focused = this.list.contains(document.activeElement) ? (document.activeElement as HTMLElement) : undefined;
    const items = accounts.flatMap((account) =>
      account.roster.requests().map((request) => {
        const li = renderElement<HTMLLIElement>(requestTemplate, { jid: request.jid, nick: request.nick ?? '' }, this.t);
        li.querySelectorAll<HTMLButtonElement>('button[data-answer]').forEach((button) =>
          button.addEventListener('click', () => account.answerSubscription(request.jid, button.dataset.answer === 'accept')),
        );
        return li;
      }),
    );
    this.list.replaceChildren(...items);
    this.list.hidden = items.length === 0;
    if (focused && !focused.isConnected) {
      // the answered request is gone: keep keyboard focus nearby
      (this.list.querySelector('button') ?? this.list.parentElement?.querySelector<HTMLElement>('.jsxc-roster__search'))?.focus();
    }
  }
}
