/** The one logger (Powertools, JSON lines). Local runs lower the noise with POWERTOOLS_LOG_LEVEL. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'sellerops' });
