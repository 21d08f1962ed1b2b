/** Types of handler.mjs (plain JavaScript, zipped as is for the spend-stop function). */
import type { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";

export interface RouteSettings {
  ThrottlingRateLimit?: number;
  ThrottlingBurstLimit?: number;
  DetailedMetricsEnabled?: boolean;
}
export interface StageSettings {
  DefaultRouteSettings?: RouteSettings;
  RouteSettings?: Record<string, RouteSettings>;
}
export declare const STOPPED_THROTTLE: Readonly<{ ThrottlingRateLimit: 0; ThrottlingBurstLimit: 0 }>;
export declare function isStopped(stage: StageSettings): boolean;
export declare function stoppedSettings(stage: StageSettings): Required<StageSettings>;
export declare function stopStage(
  client: Pick<ApiGatewayV2Client, "send">,
  apiId: string,
  stageName: string,
): Promise<{ changed: boolean; routes: string[] }>;
export declare function handler(event: {
  Records?: { Sns?: { Subject?: string; Message?: string; TopicArn?: string } }[];
}): Promise<{ changed: boolean; routes: string[] }>;
