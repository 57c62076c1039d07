/**
 * @module render/answer-response
 * The last step of POST /v1/simulations (and its GET chart form): the answer as JSON, or its chart when the
 * client prefers SVG. Either way the answer is computed once, by the same handler.
 */
import type { Context } from 'hono';
import {
  simulationChartSvg,
  type ControlPlaneAnswerView,
  type ElectionAnswerView,
  type EtcdMemberTimeline,
} from '../../render/index.js';
import { svgResponse, wantsSvg } from './negotiate.js';

export function simulationAnswerResponse<A extends ElectionAnswerView | ControlPlaneAnswerView>(
  c: Context,
  answer: A,
  etcd?: EtcdMemberTimeline,
): Response {
  if (wantsSvg(c)) return svgResponse(c, simulationChartSvg(answer, etcd));
  c.header('Vary', 'Accept');
  return c.json(answer, 200);
}
