// The UI's commands, each handed to the part of the session that does it. The UI only dispatches;
// what a command does lives with its part, and the few lines here only route it there.
import type {TwoPointCapture} from '../capture/two-point-capture.js';
import type {PodInfo, Result} from '../core/types.js';
import type {SessionCommand, TuiState} from '../store/tui-state.js';
import type {CaptureControl} from './capture-control.js';
import {flowCaptureExpression} from './flows-capture.js';
import type {FlowsSession} from './flows-session.js';
import type {PathSession} from './path-session.js';
import type {SessionPeers} from './session-peers.js';
import type {TargetSwitch} from './session-switch.js';
import type {TwoPointControl} from './two-point-control.js';

export interface SessionActions {
	getState(): TuiState;
	set(patch: Partial<TuiState>): void;
	pod(uid: string): PodInfo | undefined;
	peers: SessionPeers;
	targetSwitch: TargetSwitch;
	path: PathSession;
	flows: FlowsSession;
	capture: CaptureControl;
	twoPoint: TwoPointControl;
	/** Two captures along the open path. */
	openTwoPoint(): Promise<Result<TwoPointCapture>>;
	/** `r`: poll now, without the backoff. */
	refresh(): void;
	watchPods(allNodes: boolean): void;
	explain(uid: string | null): void;
}

/** A capture's save or move says nothing when it works (the pane shows it); a failure is a notice. */
function noticeOnFailure(run: Promise<Result<unknown>>, what: string, set: SessionActions['set']) {
	void run.then(result => {
		if (!result.ok) set({notice: `${what}: ${result.reason}`});
	});
}

export function dispatchCommand(command: SessionCommand, actions: SessionActions): void {
	const {set, capture, twoPoint} = actions;
	switch (command.type) {
		case 'path-peers': {
			void actions.peers.listPeers();
			break;
		}

		case 'path-open': {
			actions.peers.openPath(command.from, command.to);
			break;
		}

		case 'path-probe': {
			void actions.path.probe();
			break;
		}

		case 'path-close': {
			void twoPoint.stop();
			actions.path.close();
			break;
		}

		case 'policy-view': {
			void actions.peers.listPeers();
			break;
		}

		case 'start-agent': {
			actions.targetSwitch.startAgent();
			break;
		}

		case 'flows-open': {
			void actions.flows.open(command.uid);
			break;
		}

		case 'flows-close': {
			actions.flows.close();
			break;
		}

		case 'flow-capture': {
			const expression = flowCaptureExpression(command.entry, actions.pod(command.uid)?.ips ?? []);
			if (!expression.ok) set({notice: `capture: ${expression.reason} (${expression.hint})`});
			else void capture.start(command.uid, {point: 'peer', expression: expression.value});
			break;
		}

		case 'refresh': {
			actions.refresh();
			break;
		}

		case 'toggle-all-nodes': {
			actions.watchPods(!actions.getState().allNodes);
			break;
		}

		case 'explain': {
			actions.explain(command.uid);
			break;
		}

		case 'start-capture': {
			void capture.start(command.uid);
			break;
		}

		case 'stop-capture': {
			void capture.stop();
			break;
		}

		case 'capture-command': {
			const {session} = capture.captures.getSnapshot();
			if (!session) break;
			noticeOnFailure(command.command === 'capture.save' ? session.save() : session.cyclePoint(), 'capture', set);
			break;
		}

		case 'two-point-start': {
			void twoPoint.start(actions.openTwoPoint);
			break;
		}

		case 'two-point-stop': {
			void twoPoint.stop();
			break;
		}

		case 'two-point-pick': {
			twoPoint.twoPoint.getSnapshot().capture?.pick(command.stream);
			break;
		}

		case 'two-point-command': {
			const current = twoPoint.twoPoint.getSnapshot().capture;
			if (!current) break;
			noticeOnFailure(command.command === 'capture.save' ? current.save() : current.move(), 'two-point capture', set);
			break;
		}

		case 'switch': {
			void actions.targetSwitch.switchTo(command.to);
			break;
		}

		case 'capture-filter': {
			// A rejected filter comes back as the session's own notice, shown in the pane.
			void capture.captures.getSnapshot().session?.setFilter(command.filter.quick, command.filter.expression);
			break;
		}
	}
}
